package app.confab.platform;

import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import tools.jackson.databind.ObjectMapper;

/**
 * The audit trail of security-relevant actions, on the logger {@code confab.audit} (route it to
 * its own sink by logger name) and in the {@code audit_events} table, where administrators query
 * it ({@code GET /api/admin/audit}). Each log entry is one line: a readable message, and in JSON
 * logs the fields {@code audit} (the action), {@code actorId}, and the action's subject. Never pass
 * passwords, tokens or message content here.
 */
@Component
public class AuditLog {

    private static final Logger audit = LoggerFactory.getLogger("confab.audit");
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    public AuditLog(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Stores one audit row. {@code before}/{@code after} are the changed fields (null when not a
     * change). A failure to store is logged, never thrown: auditing must not break sign-in.
     */
    public void store(String action, UUID actorId, UUID targetId, String target, String address,
                      Map<String, ?> before, Map<String, ?> after) {
        try {
            jdbc.sql("""
                    INSERT INTO audit_events (action, actor_id, actor_name, target_id, target, address, before, after)
                    VALUES (:action, :actorId, (SELECT username FROM users WHERE id = :actorId), :targetId, :target,
                            :address, CAST(:before AS jsonb), CAST(:after AS jsonb))
                    """)
                    .param("action", action)
                    .param("actorId", actorId)
                    .param("targetId", targetId)
                    .param("target", clean(target))
                    .param("address", clean(address))
                    .param("before", before == null ? "null" : json.writeValueAsString(before))
                    .param("after", after == null ? "null" : json.writeValueAsString(after))
                    .update();
        } catch (RuntimeException e) {
            log.warn("Could not store audit entry {}", action, e);
        }
    }

    /** An administrator's action on {@code targetId}: logged and stored with what it changed. */
    public void adminAction(UUID actorId, String action, UUID targetId, String target,
                            Map<String, ?> before, Map<String, ?> after) {
        entry(action).addKeyValue("actorId", actorId).addKeyValue("targetId", targetId)
                .addKeyValue("target", clean(target))
                .log("Administrator {} did {} on {} ({})", actorId, action, clean(target), targetId);
        store(action, actorId, targetId, target, null, before, after);
    }

    public void registered(UUID userId, String username, String address) {
        store("register", userId, userId, username, address, null, null);
        entry("register").addKeyValue("actorId", userId).addKeyValue("username", clean(username))
                .addKeyValue("address", clean(address))
                .log("User {} registered as '{}' from {}", userId, clean(username), clean(address));
    }

    public void login(UUID userId, String address) {
        store("login", userId, userId, null, address, null, null);
        entry("login").addKeyValue("actorId", userId).addKeyValue("address", clean(address))
                .log("User {} signed in from {}", userId, clean(address));
    }

    public void loginFailed(String username, String address) {
        store("login_failed", null, null, username, address, null, null);
        entry("login_failed").addKeyValue("username", clean(username)).addKeyValue("address", clean(address))
                .log("Failed sign-in for '{}' from {}", clean(username), clean(address));
    }

    /** The right password for an account that may not sign in ({@code reason}: deactivated). */
    public void loginRefused(UUID userId, String username, String address, String reason) {
        store("login_refused", userId, userId, username, address, null, Map.of("reason", reason));
        entry("login_refused").addKeyValue("actorId", userId).addKeyValue("address", clean(address))
                .log("Sign-in of {} from {} refused: {}", userId, clean(address), reason);
    }

    public void logout(UUID userId) {
        store("logout", userId, userId, null, null, null, null);
        entry("logout").addKeyValue("actorId", userId).log("User {} signed out", userId);
    }

    public void passwordChanged(UUID userId) {
        store("password_changed", userId, userId, null, null, null, null);
        entry("password_changed").addKeyValue("actorId", userId).log("User {} changed their password", userId);
    }

    /** {@code change} says what happened: added, removed, left, role:admin, ... */
    public void membershipChanged(UUID actorId, UUID chatId, UUID memberId, String change) {
        store("membership_changed", actorId, memberId, "chat " + chatId, null, null, Map.of("change", clean(change)));
        entry("membership_changed").addKeyValue("actorId", actorId).addKeyValue("chatId", chatId)
                .addKeyValue("memberId", memberId).addKeyValue("change", clean(change))
                .log("User {} changed membership of {} in chat {}: {}", actorId, memberId, chatId, clean(change));
    }

    /** {@code kind} is what was deleted: message, chat, attachment, contact, account. */
    public void deleted(UUID actorId, String kind, UUID id) {
        store("deleted", actorId, id, clean(kind), null, null, null);
        entry("deleted").addKeyValue("actorId", actorId).addKeyValue("kind", clean(kind)).addKeyValue("targetId", id)
                .log("User {} deleted {} {}", actorId, clean(kind), id);
    }

    private static LoggingEventBuilder entry(String action) {
        return audit.atInfo().addKeyValue("audit", action);
    }

    /** Caller-supplied text (a username tried at login) must not forge log lines or flood them. */
    static String clean(String value) {
        if (value == null) {
            return null;
        }
        String single = value.replaceAll("\\p{Cntrl}", "?");
        return single.length() > 100 ? single.substring(0, 100) + "…" : single;
    }
}
