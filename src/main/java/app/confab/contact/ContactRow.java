package app.confab.contact;

import java.time.Instant;
import java.util.UUID;

/** A contacts row: {@code userId}'s view of its relationship with {@code contactId}. */
record ContactRow(UUID id, UUID userId, UUID contactId, String status, UUID requestedBy, Instant createdAt,
                  Instant acceptedAt, Instant blockedAt) {

    static final String PENDING = "pending";
    static final String ACCEPTED = "accepted";
    static final String BLOCKED = "blocked";

    boolean is(String expected) {
        return expected.equals(status);
    }
}
