package app.confab.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

import app.confab.membership.ChatRole;
import app.confab.chat.ChatUser;
import app.confab.chat.ChatView;
import app.confab.contact.ContactView;
import tools.jackson.databind.JsonNode;

/**
 * The catalogue of server events: one record per event type of docs/PROTOCOL.md. A record's JSON
 * form (as the application's Jackson mapper writes it) is exactly the frame's {@code data}; its
 * {@link EventName} is the frame's {@code type}; the sub-interface it implements is its audience
 * rule. The JSON Schema in docs/protocol/events.schema.json is generated from these records
 * ({@link ProtocolSchema}), and the contract test checks real frames against it.
 *
 * <ul>
 *   <li>{@link ChatEvent}: durable; seen by the members of {@link ChatEvent#chatId()}, each within
 *       their membership window (live: the members at append time).</li>
 *   <li>{@link UserEvent}: durable; seen by the one user it is appended for.</li>
 *   <li>{@link Ephemeral}: pushed once to an explicit list of users, never stored or replayed.</li>
 * </ul>
 *
 * <p>Adding an event type is adding a record here (docs/recipes/add-an-event-type.md).
 */
public sealed interface Event {

    /** The frame's {@code type}, from the record's {@link EventName}. */
    default String type() {
        return typeOf(getClass());
    }

    /** Durable events are stored in the stream and carry a cursor; ephemeral ones do not. */
    default boolean durable() {
        return !(this instanceof Ephemeral);
    }

    static String typeOf(Class<?> eventClass) {
        return Catalogue.NAMES.get(eventClass);
    }

    /** Every concrete event record, in declaration order. */
    static List<Class<? extends Event>> catalogue() {
        return Catalogue.ALL;
    }

    /** Durable: seen by the chat's members within their membership windows. */
    sealed interface ChatEvent extends Event {
        UUID chatId();
    }

    /** Durable: seen by one user only, named when the event is appended. */
    sealed interface UserEvent extends Event {
    }

    /** Pushed once to the connections open at that moment; never stored, no cursor. */
    sealed interface Ephemeral extends Event {
    }

    // ---- messages ------------------------------------------------------------------------------

    /** {@code data} is the message as the REST API shows it. */
    @EventName("message:new")
    record MessageNew(MessageView message) implements ChatEvent {
        @JsonValue
        @Override
        public MessageView message() {
            return message;
        }

        @Override
        public UUID chatId() {
            return message.chatId();
        }

        /** For delivered receipts, read by the stream without knowing the message module. */
        public UUID messageId() {
            return message.id();
        }

        public UUID senderId() {
            return message.senderId();
        }
    }

    /** {@code mentions} / {@code mentionsEveryone}: as parsed from the new text (docs/subsystems/chats-messages.md). */
    @EventName("message:edited")
    record MessageEdited(UUID messageId, UUID chatId, String content, JsonNode metadata, Instant editedAt,
                         List<UUID> mentions, boolean mentionsEveryone)
            implements ChatEvent {
    }

    /** The server fetched the Open Graph preview of the message's first link (link previews enabled). */
    @EventName("message:preview")
    record MessagePreview(UUID messageId, UUID chatId, MessageView.LinkPreview linkPreview) implements ChatEvent {
    }

    @EventName("message:deleted")
    record MessageDeleted(UUID messageId, UUID chatId) implements ChatEvent {
    }

    /** A member's read cursor moved: everything up to {@code messageId} is read by {@code userId}. */
    @EventName("message:read")
    record MessageRead(UUID chatId, UUID messageId, UUID userId, Instant readAt, long unreadCount)
            implements ChatEvent {
    }

    @EventName("reaction:added")
    record ReactionAdded(UUID messageId, UUID chatId, ReactionSummary reaction) implements ChatEvent {
    }

    record ReactionSummary(UUID id, String emoji, UUID userId, String username) {
    }

    @EventName("reaction:removed")
    record ReactionRemoved(UUID messageId, UUID chatId, UUID reactionId, String emoji, UUID userId)
            implements ChatEvent {
    }

    // ---- chats and members ---------------------------------------------------------------------

    /** {@code data} is the chat as {@code GET /api/chats/:id} shows it (without the caller's own fields). */
    @EventName("chat:created")
    record ChatCreated(ChatView chat) implements ChatEvent {
        @JsonValue
        @Override
        public ChatView chat() {
            return chat;
        }

        @Override
        public UUID chatId() {
            return chat.id();
        }
    }

    @EventName("chat:updated")
    record ChatUpdated(UUID chatId, ChatChanges updates) implements ChatEvent {
    }

    /**
     * Only the fields that changed are present. For name, slug and description: a Java null means
     * unchanged (absent), {@code Optional.empty()} means cleared (JSON null).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ChatChanges(Optional<String> name, Optional<String> slug, Optional<String> description, UUID ownerId,
                       List<RoleChange> roles, String everyoneMentions) {

        public ChatChanges(Optional<String> name, Optional<String> slug, Optional<String> description, UUID ownerId,
                           List<RoleChange> roles) {
            this(name, slug, description, ownerId, roles, null);
        }

        public static ChatChanges none() {
            return new ChatChanges(null, null, null, null, null, null);
        }

        public ChatChanges withOwner(UUID owner, List<RoleChange> changedRoles) {
            return new ChatChanges(name, slug, description, owner, changedRoles, everyoneMentions);
        }

        public ChatChanges withRoles(List<RoleChange> changedRoles) {
            return new ChatChanges(name, slug, description, ownerId, changedRoles, everyoneMentions);
        }

        public ChatChanges withEveryoneMentions(String who) {
            return new ChatChanges(name, slug, description, ownerId, roles, who);
        }

        /** Not {@code isEmpty()}: Jackson would write that as an {@code "empty"} property. */
        public boolean changesNothing() {
            return name == null && slug == null && description == null && ownerId == null && roles == null
                    && everyoneMentions == null;
        }
    }

    record RoleChange(UUID userId, ChatRole role) {
    }

    @EventName("chat:deleted")
    record ChatDeleted(UUID chatId) implements ChatEvent {
    }

    @EventName("participant:joined")
    record ParticipantJoined(UUID chatId, ChatUser user, ChatRole role, UUID addedBy) implements ChatEvent {
    }

    /** {@code removedBy} is absent when the member left by themself. */
    @EventName("participant:left")
    record ParticipantLeft(UUID chatId, UUID userId, @JsonInclude(JsonInclude.Include.NON_NULL) UUID removedBy)
            implements ChatEvent {
    }

    // ---- contacts (each side gets its own view) ------------------------------------------------

    @EventName("contact:request")
    record ContactRequested(ContactView contact) implements UserEvent {
    }

    @EventName("contact:accepted")
    record ContactAccepted(ContactView contact) implements UserEvent {
    }

    @EventName("contact:blocked")
    record ContactBlocked(ContactView contact) implements UserEvent {
    }

    /** The recipient's pending or accepted row {@code contactId} with {@code userId} went away. */
    @EventName("contact:removed")
    record ContactRemoved(UUID contactId, UUID userId) implements UserEvent {
    }

    /** The recipient lifted their block row {@code contactId} of {@code userId}. */
    @EventName("contact:unblocked")
    record ContactUnblocked(UUID contactId, UUID userId) implements UserEvent {
    }

    // ---- notification preferences (docs/subsystems/notifications.md) -----------------------------

    /**
     * The recipient changed their notification settings on some device. With {@code chatId}: that
     * chat's level is now {@code level} ({@code "default"}: it follows the default level again);
     * without: the global settings changed and {@code level} is the new default. Devices refetch
     * GET /api/users/me/notifications for the rest.
     */
    @EventName("notifications:updated")
    record NotificationsUpdated(@JsonInclude(JsonInclude.Include.NON_NULL) UUID chatId, String level)
            implements UserEvent {
    }

    // ---- ephemeral -----------------------------------------------------------------------------

    @EventName("typing:start")
    record TypingStarted(UUID chatId, UUID userId, String username) implements Ephemeral {
    }

    @EventName("typing:stop")
    record TypingStopped(UUID chatId, UUID userId) implements Ephemeral {
    }

    /** {@code lastSeen}: when the user was last connected (null if never). */
    @EventName("user:status")
    record UserStatus(UUID userId, String status, Instant lastSeen) implements Ephemeral {
    }

    /** Every message of the chat up to {@code messageId} reached at least one of {@code userId}'s devices. */
    @EventName("message:delivered")
    record MessageDelivered(UUID chatId, UUID messageId, UUID userId, Instant deliveredAt) implements Ephemeral {
    }

    // ---- calls (docs/subsystems/calls.md): to the call's participants only -------------------------

    /** A call rings: sent to every device of every invitee. {@code participants}: everyone invited, caller first. */
    @EventName("call:invite")
    record CallInvited(UUID callId, UUID chatId, UUID callerId, boolean video, List<UUID> participants,
                       Instant ringUntil) implements Ephemeral {
    }

    /** {@code userId} joined the call; their other devices stop ringing. */
    @EventName("call:accept")
    record CallAccepted(UUID callId, UUID chatId, UUID userId) implements Ephemeral {
    }

    /** {@code userId} declined; their other devices stop ringing. */
    @EventName("call:decline")
    record CallDeclined(UUID callId, UUID chatId, UUID userId) implements Ephemeral {
    }

    @EventName("call:offer")
    record CallOffered(UUID callId, UUID chatId, UUID fromUserId, String sdp) implements Ephemeral {
    }

    @EventName("call:answer")
    record CallAnswered(UUID callId, UUID chatId, UUID fromUserId, String sdp) implements Ephemeral {
    }

    @EventName("call:ice")
    record CallIceCandidate(UUID callId, UUID chatId, UUID fromUserId, IceCandidate candidate) implements Ephemeral {
    }

    /** {@code userId} left a call that goes on (a group call with others still in it). */
    @EventName("call:hangup")
    record CallHungUp(UUID callId, UUID chatId, UUID userId) implements Ephemeral {
    }

    /**
     * The call is over for everyone. {@code outcome}: missed (nobody answered in time, or the caller
     * gave up), unavailable (no invitee was connected), declined, ended (it was answered;
     * {@code durationSec} from the first answer).
     */
    @EventName("call:ended")
    record CallEnded(UUID callId, UUID chatId, String outcome, int durationSec, boolean video,
                     @JsonInclude(JsonInclude.Include.NON_NULL) UUID messageId) implements Ephemeral {
    }

    /** Walks the sealed hierarchy once; a record without {@link EventName} fails at class initialisation. */
    final class Catalogue {
        private static final List<Class<? extends Event>> ALL = collect(Event.class, new ArrayList<>());
        private static final ClassValue<String> NAMES = new ClassValue<>() {
            @Override
            protected String computeValue(Class<?> type) {
                EventName name = type.getAnnotation(EventName.class);
                if (name == null) {
                    throw new IllegalStateException(type.getName() + " has no @EventName");
                }
                return name.value();
            }
        };

        private Catalogue() {
        }

        @SuppressWarnings("unchecked")
        private static List<Class<? extends Event>> collect(Class<?> type, List<Class<? extends Event>> into) {
            if (type.isRecord()) {
                into.add((Class<? extends Event>) type);
            } else {
                for (Class<?> sub : type.getPermittedSubclasses()) {
                    collect(sub, into);
                }
            }
            return List.copyOf(into);
        }
    }
}
