package app.confab.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import app.confab.platform.ApiException;
import app.confab.platform.CursorPage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Reads the stored audit trail, newest first, filtered by actor (id or username) and action. */
@Service
class AuditQuery {

    private static final Pattern ACTION = Pattern.compile("[a-z_]{1,40}");

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    AuditQuery(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    record AuditEntry(long id, Instant at, String action, UUID actorId, String actorName, UUID targetId,
                      String target, String address, JsonNode before, JsonNode after) {
    }

    CursorPage<AuditEntry> list(String cursor, String limitParam, String actor, String action) {
        List<ApiException.FieldError> errors = new ArrayList<>();
        int limit = CursorPage.parseLimit(limitParam, 50, CursorPage.MAX_LIMIT, errors);
        long before = Long.MAX_VALUE;
        if (cursor != null && !cursor.isBlank()) {
            try {
                before = Long.parseLong(cursor.strip());
            } catch (NumberFormatException e) {
                errors.add(new ApiException.FieldError("cursor", "Cursor is not valid"));
            }
        }
        if (action != null && !action.isBlank() && !ACTION.matcher(action).matches()) {
            errors.add(new ApiException.FieldError("action", "Not a valid action name"));
        }
        if (actor != null && actor.length() > 100) {
            errors.add(new ApiException.FieldError("actor", "Must be a user id or username"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        UUID actorId = null;
        String actorName = "";
        if (actor != null && !actor.isBlank()) {
            try {
                actorId = UUID.fromString(actor.strip());
            } catch (IllegalArgumentException e) {
                actorName = actor.strip();
            }
        }
        List<AuditEntry> rows = jdbc.sql("""
                SELECT id, at, action, actor_id, actor_name, target_id, target, address,
                       CAST(before AS text) AS before, CAST(after AS text) AS after
                FROM audit_events
                WHERE id < :before
                  AND (:action = '' OR action = :action)
                  AND (:actorName = '' OR lower(actor_name) = lower(:actorName))
                  AND (:anyActor OR actor_id = :actorId)
                ORDER BY id DESC
                LIMIT :limit
                """)
                .param("before", before)
                .param("action", action == null ? "" : action.strip())
                .param("actorName", actorName)
                .param("anyActor", actorId == null)
                .param("actorId", actorId == null ? new UUID(0, 0) : actorId)
                .param("limit", limit + 1)
                .query((rs, n) -> new AuditEntry(rs.getLong("id"), rs.getTimestamp("at").toInstant(),
                        rs.getString("action"), rs.getObject("actor_id", UUID.class), rs.getString("actor_name"),
                        rs.getObject("target_id", UUID.class), rs.getString("target"), rs.getString("address"),
                        parse(rs.getString("before")), parse(rs.getString("after"))))
                .list();
        return CursorPage.of(rows, limit, row -> row, row -> Long.toString(row.id()));
    }

    private JsonNode parse(String text) {
        return text == null ? null : json.readTree(text);
    }
}
