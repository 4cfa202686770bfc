package app.confab.contact;

import java.time.Instant;
import java.util.UUID;

import app.confab.account.UserView;

/**
 * A relationship as one user sees it.
 *
 * @param id          the caller's contact row id (accepted wherever a contact {@code :id} is)
 * @param userId      the other user's id (also accepted as {@code :id})
 * @param user        the other user's profile, with presence ({@code status}, {@code lastSeen})
 * @param status      {@code pending}, {@code accepted} or {@code blocked}
 * @param direction   {@code outgoing} when the caller made the request (or the block), else {@code incoming}
 * @param requestedBy who made the request (for a block: the caller, who blocked)
 */
public record ContactView(UUID id, UUID userId, UserView user, String status, String direction, UUID requestedBy,
                          Instant createdAt, Instant acceptedAt, Instant blockedAt) {
}
