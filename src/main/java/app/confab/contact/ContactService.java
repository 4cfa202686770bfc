package app.confab.contact;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import app.confab.account.UserDirectory;
import app.confab.account.UserRow;
import app.confab.stream.EventStore;
import app.confab.platform.ApiException;
import app.confab.platform.CursorPage;
import app.confab.protocol.Event;

/**
 * Contact requests, acceptance, removal and blocking (see docs/subsystems/accounts.md, "Contacts").
 *
 * <p>Every change to a pair of users runs in one transaction holding the pair's lock, and ends by
 * appending user-addressed events to the durable stream, so each side's devices learn of it:
 * {@code contact:request}, {@code contact:accepted}, {@code contact:removed} to both users (each
 * with their own view), and {@code contact:blocked} / {@code contact:unblocked} to the blocker.
 */
@Service
public class ContactService {


    private static final int LIST_DEFAULT_LIMIT = 100;
    private static final int LIST_MAX_LIMIT = 200;
    private static final Pattern USERNAME_CURSOR = Pattern.compile("[a-z0-9_]{1,50}");

    private final ContactRepository contacts;
    private final UserDirectory users;
    private final EventStore events;
    private final Clock clock;

    public ContactService(ContactRepository contacts, UserDirectory users, EventStore events, Clock clock) {
        this.contacts = contacts;
        this.users = users;
        this.events = events;
        this.clock = clock;
    }

    /** {@code POST /api/contacts}: name the other user by {@code userId} or, failing that, {@code username}. */
    public record ContactRequest(String username, String userId) {
    }

    /** The result of a block: the blocker's view, and whether the block is new. */
    public record BlockResult(ContactView contact, boolean created) {
    }

    /** For features such as direct chats: whether either user has blocked the other. */
    public boolean isBlockedEitherWay(UUID a, UUID b) {
        return contacts.isBlockedEitherWay(a, b);
    }

    /** The users among {@code others} between whom and {@code a} there is a block, in either direction. */
    public java.util.Set<UUID> blockedEitherWay(UUID a, java.util.Collection<UUID> others) {
        return contacts.blockedEitherWay(a, others);
    }

    /**
     * Sends a contact request. When the other user has already asked the caller, this accepts
     * their request instead. Refused for oneself (400), an unknown user (404), a block either
     * way (403), an existing contact or an already sent request (409).
     */
    @Transactional
    public ContactView request(UUID caller, ContactRequest request) {
        UserRow target = resolveTarget(request);
        if (target.id().equals(caller)) {
            throw ApiException.validation(request.userId() != null ? "userId" : "username",
                    "You cannot add yourself as a contact");
        }
        contacts.lockPair(caller, target.id());
        refuseIfBlocked(caller, target.id());
        ContactRow mine = contacts.find(caller, target.id()).orElse(null);
        Instant now = clock.instant();
        if (mine == null) {
            contacts.insertPending(caller, target.id(), now);
            return publishBoth(Event.ContactRequested::new, caller, target.id());
        }
        if (mine.is(ContactRow.ACCEPTED)) {
            throw ApiException.conflict("You are already contacts");
        }
        if (mine.requestedBy().equals(caller)) {
            throw ApiException.conflict("You have already sent a contact request to this user");
        }
        contacts.acceptPair(caller, target.id(), now);
        return publishBoth(Event.ContactAccepted::new, caller, target.id());
    }

    /** Accepts an incoming request; accepting an accepted contact again is a no-op. */
    @Transactional
    public ContactView accept(UUID caller, UUID idOrUserId) {
        ContactRow mine = lockedRow(caller, idOrUserId, "Contact request");
        if (mine.is(ContactRow.ACCEPTED)) {
            return view(caller, mine.contactId());
        }
        if (mine.is(ContactRow.BLOCKED)) {
            throw ApiException.conflict("You have blocked this user; unblock them first");
        }
        if (mine.requestedBy().equals(caller)) {
            throw ApiException.forbidden("Only the recipient can accept a contact request");
        }
        contacts.acceptPair(caller, mine.contactId(), clock.instant());
        return publishBoth(Event.ContactAccepted::new, caller, mine.contactId());
    }

    /** Removes a contact, declines an incoming request or cancels an outgoing one. */
    @Transactional
    public void remove(UUID caller, UUID idOrUserId) {
        ContactRow mine = lockedRow(caller, idOrUserId, "Contact");
        if (mine.is(ContactRow.BLOCKED)) {
            throw ApiException.conflict("This user is blocked; unblock with DELETE /api/contacts/{id}/block");
        }
        ContactRow theirs = contacts.find(mine.contactId(), caller).orElse(null);
        contacts.deleteRelationship(caller, mine.contactId());
        publishRemoved(caller, mine, theirs);
    }

    /**
     * Blocks a user ({@code :id} is a contact row id or any user's id). An existing request or
     * contact between the two ends; the blocked user cannot request again or open a direct chat.
     */
    @Transactional
    public BlockResult block(UUID caller, UUID idOrUserId) {
        UUID target = contacts.findByIdOrContact(caller, idOrUserId).map(ContactRow::contactId)
                .orElseGet(() -> users.findById(idOrUserId).map(UserRow::id)
                        .orElseThrow(() -> ApiException.notFound("User")));
        if (target.equals(caller)) {
            throw ApiException.validation("id", "You cannot block yourself");
        }
        contacts.lockPair(caller, target);
        ContactRow mine = contacts.find(caller, target).orElse(null);
        if (mine != null && mine.is(ContactRow.BLOCKED)) {
            return new BlockResult(view(caller, target), false);
        }
        ContactRow theirs = contacts.find(target, caller).orElse(null);
        contacts.upsertBlock(caller, target, clock.instant());
        if (theirs != null && !theirs.is(ContactRow.BLOCKED)) {
            contacts.deleteRow(theirs.id());
        }
        ContactView blocked = view(caller, target);
        publishRemoved(caller, mine, theirs);
        events.appendToUser(caller, new Event.ContactBlocked(blocked));
        return new BlockResult(blocked, true);
    }

    /** Lifts the caller's block; the two are then strangers (no contact is restored). */
    @Transactional
    public void unblock(UUID caller, UUID idOrUserId) {
        ContactRow mine = lockedRow(caller, idOrUserId, "Block");
        if (!mine.is(ContactRow.BLOCKED)) {
            throw ApiException.notFound("Block");
        }
        contacts.deleteRow(mine.id());
        events.appendToUser(caller, new Event.ContactUnblocked(mine.id(), mine.contactId()));
    }

    public CursorPage<ContactView> accepted(UUID caller, String limit, String cursor) {
        return list(caller, List.of(ContactRow.ACCEPTED), limit, cursor);
    }

    public CursorPage<ContactView> pending(UUID caller, String limit, String cursor) {
        return list(caller, List.of(ContactRow.PENDING), limit, cursor);
    }

    public CursorPage<ContactView> blocked(UUID caller, String limit, String cursor) {
        return list(caller, List.of(ContactRow.BLOCKED), limit, cursor);
    }

    private CursorPage<ContactView> list(UUID caller, List<String> statuses, String limitParam, String cursor) {
        List<ApiException.FieldError> errors = new ArrayList<>();
        int limit = CursorPage.parseLimit(limitParam, LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT, errors);
        if (cursor != null && !cursor.isEmpty() && !USERNAME_CURSOR.matcher(cursor).matches()) {
            errors.add(new ApiException.FieldError("cursor", "Cursor is not valid"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        List<ContactView> rows = contacts.list(caller, statuses, cursor, limit + 1);
        return CursorPage.of(rows, limit, view -> view, view -> view.user().username().toLowerCase(Locale.ROOT));
    }

    private UserRow resolveTarget(ContactRequest request) {
        String userId = request == null ? null : request.userId();
        String username = request == null ? null : request.username();
        if (userId != null && !userId.isBlank()) {
            UUID id;
            try {
                id = UUID.fromString(userId.strip());
            } catch (IllegalArgumentException e) {
                throw ApiException.validation("userId", "Must be a user id (UUID)");
            }
            return users.findById(id).orElseThrow(() -> ApiException.notFound("User"));
        }
        if (username != null && !username.isBlank()) {
            return users.findByUsername(username.strip()).orElseThrow(() -> ApiException.notFound("User"));
        }
        throw ApiException.validation(List.of(
                new ApiException.FieldError("username", "Send username or userId"),
                new ApiException.FieldError("userId", "Send username or userId")));
    }

    private void refuseIfBlocked(UUID caller, UUID target) {
        ContactRow mine = contacts.find(caller, target).orElse(null);
        if (mine != null && mine.is(ContactRow.BLOCKED)) {
            throw ApiException.forbidden("You have blocked this user; unblock them first");
        }
        ContactRow theirs = contacts.find(target, caller).orElse(null);
        if (theirs != null && theirs.is(ContactRow.BLOCKED)) {
            throw ApiException.forbidden("You cannot send a contact request to this user");
        }
    }

    /** Finds the caller's row, takes the pair lock, and reads the row again under the lock. */
    private ContactRow lockedRow(UUID caller, UUID idOrUserId, String what) {
        ContactRow found = contacts.findByIdOrContact(caller, idOrUserId)
                .orElseThrow(() -> ApiException.notFound(what));
        contacts.lockPair(caller, found.contactId());
        return contacts.find(caller, found.contactId()).orElseThrow(() -> ApiException.notFound(what));
    }

    private ContactView view(UUID owner, UUID other) {
        return contacts.view(owner, other).orElseThrow(() -> new IllegalStateException("Contact row vanished"));
    }

    /** Appends the event to both users, each with their own view; returns the caller's view. */
    private ContactView publishBoth(Function<ContactView, Event.UserEvent> event, UUID caller, UUID other) {
        ContactView callerView = view(caller, other);
        ContactView otherView = view(other, caller);
        events.appendToUser(other, event.apply(otherView));
        events.appendToUser(caller, event.apply(callerView));
        return callerView;
    }

    /** Tells each side whose pending or accepted row went away; a block row is not a relationship. */
    private void publishRemoved(UUID caller, ContactRow mine, ContactRow theirs) {
        if (theirs != null && !theirs.is(ContactRow.BLOCKED)) {
            events.appendToUser(theirs.userId(), removed(theirs));
        }
        if (mine != null && !mine.is(ContactRow.BLOCKED)) {
            events.appendToUser(caller, removed(mine));
        }
    }

    /** The recipient's row id and the other user. */
    private static Event.ContactRemoved removed(ContactRow row) {
        return new Event.ContactRemoved(row.id(), row.contactId());
    }
}
