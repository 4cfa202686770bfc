package app.confab.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;

import app.confab.account.Secrets;
import app.confab.platform.ApiException;
import app.confab.platform.AuditLog;

/** Invite links: 256-bit random tokens (only their hash is stored), counted uses, expiry, revocation. */
@Service
class InviteService {

    static final int DEFAULT_HOURS = 168;
    static final int MAX_HOURS = 24 * 365;
    static final int MAX_USES = 10_000;

    private final InviteRepository invites;
    private final AuditLog audit;
    private final Clock clock;

    InviteService(InviteRepository invites, AuditLog audit, Clock clock) {
        this.invites = invites;
        this.audit = audit;
        this.clock = clock;
    }

    /** {@code token} and {@code url} are only in the answer to the creation. */
    record InviteView(UUID id, String token, String url, Instant createdAt, Instant expiresAt, Integer maxUses,
                      int uses, String status) {
    }

    InviteView create(UUID actorId, Map<String, Object> body, String baseUrl) {
        Map<String, Object> request = body == null ? Map.of() : body;
        List<ApiException.FieldError> errors = new ArrayList<>();
        for (String key : request.keySet()) {
            if (!key.equals("expiresInHours") && !key.equals("maxUses")) {
                errors.add(new ApiException.FieldError(key, "Unknown field"));
            }
        }
        int hours = DEFAULT_HOURS;
        Object rawHours = request.get("expiresInHours");
        if (rawHours != null) {
            if (rawHours instanceof Integer h && h >= 1 && h <= MAX_HOURS) {
                hours = h;
            } else {
                errors.add(new ApiException.FieldError("expiresInHours", "Must be an integer from 1 to " + MAX_HOURS));
            }
        }
        Integer maxUses = 1;
        if (request.containsKey("maxUses")) {
            Object rawUses = request.get("maxUses");
            if (rawUses == null) {
                maxUses = null; // unlimited until it expires
            } else if (rawUses instanceof Integer u && u >= 1 && u <= MAX_USES) {
                maxUses = u;
            } else {
                errors.add(new ApiException.FieldError("maxUses", "Must be an integer from 1 to " + MAX_USES + ", or null"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        String token = Secrets.newToken();
        InviteRepository.InviteRow row = invites.insert(token, actorId, clock.instant().plus(Duration.ofHours(hours)), maxUses);
        audit.adminAction(actorId, "invite_created", row.id(), "invite", null,
                mapOf("expiresAt", row.expiresAt().toString(), "maxUses", maxUses));
        return view(row, token, baseUrl + "/register?invite=" + token);
    }

    List<InviteView> list() {
        return invites.list(500).stream().map(row -> view(row, null, null)).toList();
    }

    void revoke(UUID actorId, UUID id) {
        InviteRepository.InviteRow row = invites.revoke(id).orElseThrow(() -> ApiException.notFound("Invite"));
        audit.adminAction(actorId, "invite_revoked", row.id(), "invite", null, null);
    }

    private InviteView view(InviteRepository.InviteRow row, String token, String url) {
        String status;
        if (row.revokedAt() != null) {
            status = "revoked";
        } else if (!row.expiresAt().isAfter(clock.instant())) {
            status = "expired";
        } else if (row.maxUses() != null && row.uses() >= row.maxUses()) {
            status = "used";
        } else {
            status = "active";
        }
        return new InviteView(row.id(), token, url, row.createdAt(), row.expiresAt(), row.maxUses(), row.uses(), status);
    }

    private static Map<String, Object> mapOf(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
