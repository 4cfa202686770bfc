package app.confab.chat;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.contact.ContactService;
import app.confab.stream.EventStore;
import app.confab.protocol.MessageView;
import app.confab.platform.SafeText;
import app.confab.protocol.MessageLookup;
import app.confab.protocol.SystemLines;
import app.confab.platform.ApiException;
import app.confab.platform.AuditLog;
import app.confab.platform.ApiException.FieldError;
import app.confab.protocol.Event;
import app.confab.membership.ChatRole;
import app.confab.membership.Membership;
import app.confab.membership.ChatAccess;
import tools.jackson.databind.JsonNode;

/**
 * The rules of chats and membership (docs/subsystems/chats-messages.md, "Roles").
 *
 * <p>Every change runs in one transaction that first takes the event stream lock (by reserving a
 * position), then re-reads what it decides on, writes, and appends its events at the reserved
 * positions. The stream lock serialises writers, so checks such as the 300-member limit cannot
 * race, and taking it before any row lock keeps lock order the same everywhere (no deadlocks).
 */
@Service
public class ChatService {

    public static final int MAX_MEMBERS = 300;
    static final int MAX_NAME = 100;
    static final int MAX_DESCRIPTION = 500;
    static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9_-]{0,98}[a-z0-9])?");
    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 100;

    public record DirectChatRequest(UUID userId, String username) {
    }

    public record GroupChatRequest(String name, String slug, String description, List<UUID> participantIds) {
    }

    public record AddParticipantsRequest(List<UUID> userIds, UUID userId) {
    }

    public record RoleRequest(String role) {
    }

    /** A chat and whether this request created it (201) or found it (200). */
    public record Outcome(ChatView chat, boolean created) {
    }

    private final ChatRepository chats;
    private final ChatAccess access;
    private final ContactService contacts;
    private final EventStore events;
    private final MessageLookup messageViews;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final AuditLog audit;
    private final SystemLines systemMessages;

    ChatService(ChatRepository chats, ChatAccess access, ContactService contacts, EventStore events, MessageLookup messageViews,
                TransactionTemplate transaction, Clock clock, AuditLog audit, SystemLines systemMessages) {
        this.systemMessages = systemMessages;
        this.chats = chats;
        this.access = access;
        this.contacts = contacts;
        this.events = events;
        this.messageViews = messageViews;
        this.transaction = transaction;
        this.clock = clock;
        this.audit = audit;
    }

    // ---- reading -------------------------------------------------------------------------------

    public ChatPage list(UUID me, String cursor, Integer limit) {
        long before = cursor == null || cursor.isBlank() ? Long.MAX_VALUE : parseCursor(cursor);
        int size = pageSize(limit);
        List<ChatRepository.ChatSummaryRow> rows = chats.summariesForUser(me, before, size + 1);
        boolean hasMore = rows.size() > size;
        List<ChatRepository.ChatSummaryRow> page = hasMore ? rows.subList(0, size) : rows;
        Map<UUID, MessageView> lastMessages = messageViews.byIds(
                page.stream().map(ChatRepository.ChatSummaryRow::lastMessageId).filter(Objects::nonNull).toList());
        Map<UUID, List<ParticipantView>> directMembers = chats.participants(
                page.stream().filter(row -> row.type().equals("direct")).map(ChatRepository.ChatSummaryRow::id).toList());
        List<ChatView> data = page.stream()
                .map(row -> view(row, lastMessages.get(row.lastMessageId()), directMembers.get(row.id())))
                .toList();
        String next = hasMore ? Long.toString(page.getLast().activity()) : null;
        return new ChatPage(data, next, hasMore);
    }

    public ChatView get(UUID me, UUID chatId) {
        return fullView(me, chatId);
    }

    public ChatView getBySlug(UUID me, String slug) {
        UUID chatId = chats.chatIdBySlug(slug).orElseThrow(() -> ApiException.notFound("Chat"));
        return fullView(me, chatId);
    }

    /** The chat as the given member sees it, with every participant; 404 for anyone else. */
    ChatView fullView(UUID me, UUID chatId) {
        ChatRepository.ChatSummaryRow row = chats.summaryForUser(me, chatId)
                .orElseThrow(() -> ApiException.notFound("Chat"));
        MessageView lastMessage = row.lastMessageId() == null ? null
                : messageViews.byIds(List.of(row.lastMessageId())).get(row.lastMessageId());
        return view(row, lastMessage, chats.participants(List.of(chatId)).getOrDefault(chatId, List.of()));
    }

    private static ChatView view(ChatRepository.ChatSummaryRow row, MessageView lastMessage,
                                 List<ParticipantView> participants) {
        return new ChatView(row.id(), row.type(), row.name(), row.slug(), row.description(), row.avatarUrl(),
                row.ownerId(), row.createdAt(), row.updatedAt(), row.lastMessageAt(), lastMessage,
                row.participantCount(), participants, row.unreadCount(), row.myRole(), row.mentionCount(),
                row.everyoneMentions(), row.notificationLevel(),
                "nothing".equals(row.notificationLevel()));
    }

    // ---- creating ------------------------------------------------------------------------------

    /** One direct chat per pair: asking again returns the existing chat. */
    public Outcome createDirect(UUID me, DirectChatRequest request) {
        if (request == null || (request.userId() == null && (request.username() == null || request.username().isBlank()))) {
            throw ApiException.validation("userId", "userId or username is required");
        }
        ChatUser other = (request.userId() != null ? chats.user(request.userId()) : chats.userByUsername(request.username().strip()))
                .orElseThrow(() -> ApiException.notFound("User"));
        if (other.id().equals(me)) {
            throw ApiException.validation(request.userId() != null ? "userId" : "username",
                    "You cannot start a direct chat with yourself");
        }
        if (contacts.isBlockedEitherWay(me, other.id())) {
            throw ApiException.forbidden("You cannot start a chat with this user");
        }
        String key = directKey(me, other.id());
        var existing = chats.directChat(key);
        if (existing.isPresent()) {
            return new Outcome(fullView(me, existing.get()), false);
        }
        return transaction.execute(status -> {
            long position = events.reservePosition();
            var raced = chats.directChat(key);
            if (raced.isPresent()) {
                return new Outcome(fullView(me, raced.get()), false);
            }
            UUID chatId = UUID.randomUUID();
            Instant now = now();
            chats.insertChat(chatId, "direct", null, null, null, null, key, now);
            chats.join(chatId, me, ChatRole.MEMBER, position, now);
            chats.join(chatId, other.id(), ChatRole.MEMBER, position, now);
            ChatView chat = fullView(me, chatId);
            events.append(position, new Event.ChatCreated(chat.forEvent()));
            return new Outcome(chat, true);
        });
    }

    static String directKey(UUID a, UUID b) {
        String first = a.toString();
        String second = b.toString();
        return first.compareTo(second) < 0 ? first + ":" + second : second + ":" + first;
    }

    public ChatView createGroup(UUID me, GroupChatRequest request) {
        if (request == null) {
            throw ApiException.validation("name", "Name is required");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = checkName(request.name(), errors);
        String slug = request.slug() == null || request.slug().isBlank() ? null : checkSlug(request.slug(), errors);
        String description = checkDescription(request.description(), errors);
        Set<UUID> others = new LinkedHashSet<>();
        if (request.participantIds() != null) {
            if (request.participantIds().stream().anyMatch(Objects::isNull)) {
                errors.add(new FieldError("participantIds", "Participant ids must not be null"));
            }
            request.participantIds().stream().filter(Objects::nonNull).filter(id -> !id.equals(me)).forEach(others::add);
        }
        if (others.size() + 1 > MAX_MEMBERS) {
            errors.add(new FieldError("participantIds", "A group has at most " + MAX_MEMBERS + " members, including its owner"));
        } else {
            Map<UUID, ChatUser> found = chats.users(others);
            List<UUID> unknown = others.stream().filter(id -> !found.containsKey(id)).toList();
            if (!unknown.isEmpty()) {
                errors.add(new FieldError("participantIds", "Unknown users: " + unknown));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        refuseBlocked(me, others, "participantIds");
        return transaction.execute(status -> {
            long position = events.reservePosition();
            if (slug != null && chats.slugTaken(slug, null)) {
                throw ApiException.conflict("Slug is already taken");
            }
            UUID chatId = UUID.randomUUID();
            Instant now = now();
            chats.insertChat(chatId, "group", name, slug, description, me, null, now);
            chats.join(chatId, me, ChatRole.OWNER, position, now);
            for (UUID other : others) {
                chats.join(chatId, other, ChatRole.MEMBER, position, now);
            }
            ChatView chat = fullView(me, chatId);
            events.append(position, new Event.ChatCreated(chat.forEvent()));
            return chat;
        });
    }

    // ---- changing ------------------------------------------------------------------------------

    /** Rename, re-slug or describe a group: owner or admin. Absent fields stay; null slug/description clears. */
    public ChatView update(UUID me, UUID chatId, JsonNode body) {
        Membership membership = requireGroupManager(me, chatId);
        if (body == null || !body.isObject()) {
            throw ApiException.validation("body", "Send a JSON object with name, slug or description");
        }
        List<FieldError> errors = new ArrayList<>();
        Optional<String> newName = body.has("name")
                ? Optional.ofNullable(checkName(text(body, "name", errors), errors)) : null;
        Optional<String> newSlug = null;
        if (body.has("slug")) {
            String slug = text(body, "slug", errors);
            newSlug = Optional.ofNullable(slug == null || slug.isBlank() ? null : checkSlug(slug, errors));
        }
        Optional<String> newDescription = body.has("description")
                ? Optional.ofNullable(checkDescription(text(body, "description", errors), errors)) : null;
        String everyoneMentions = null;
        if (body.has("everyoneMentions")) {
            String who = text(body, "everyoneMentions", errors);
            if (!"all".equals(who) && !"admins".equals(who)) {
                errors.add(new FieldError("everyoneMentions", "Must be \"all\" or \"admins\""));
            } else {
                everyoneMentions = who;
            }
        }
        Event.ChatChanges updates = new Event.ChatChanges(newName, newSlug, newDescription, null, null,
                everyoneMentions);
        if (updates.changesNothing() && errors.isEmpty()) {
            errors.add(new FieldError("body", "Nothing to update: send name, slug, description or everyoneMentions"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        Event.ChatChanges changes = updates;
        return transaction.execute(status -> {
            long position = events.reservePosition();
            ChatView current = fullView(me, membership.chatId());
            String slug = updates.slug() != null ? updates.slug().orElse(null) : current.slug();
            if (updates.slug() != null && updates.slug().isPresent() && chats.slugTaken(slug, chatId)) {
                throw ApiException.conflict("Slug is already taken");
            }
            chats.update(chatId,
                    updates.name() != null ? updates.name().orElse(null) : current.name(),
                    slug,
                    updates.description() != null ? updates.description().orElse(null) : current.description(),
                    now());
            if (changes.everyoneMentions() != null) {
                chats.setEveryoneMentions(chatId, changes.everyoneMentions());
            }
            events.append(position, new Event.ChatUpdated(chatId, changes));
            // The timeline records renames and description changes (not slugs or settings).
            if (changes.name() != null && !Objects.equals(changes.name().orElse(null), current.name())) {
                systemMessages.write(chatId, me, SystemLines.CHAT_RENAMED, List.of(), changes.name().orElse(null), null);
            }
            if (changes.description() != null
                    && !Objects.equals(changes.description().orElse(null), current.description())) {
                systemMessages.write(chatId, me, SystemLines.DESCRIPTION_CHANGED, List.of(), null,
                        changes.description().orElse(null));
            }
            return fullView(me, chatId);
        });
    }

    /** Group: owner only. Direct: either member, for both. Soft delete; members get chat:deleted. */
    public void delete(UUID me, UUID chatId) {
        Membership membership = access.membership(me, chatId).orElseThrow(() -> ApiException.notFound("Chat"));
        if (membership.isGroup() && membership.role() != ChatRole.OWNER) {
            throw ApiException.forbidden("Only the owner can delete a group");
        }
        transaction.executeWithoutResult(status -> {
            long position = events.reservePosition();
            events.append(position, new Event.ChatDeleted(chatId));
            chats.markDeleted(chatId, now());
        });
        audit.deleted(me, "chat", chatId);
    }

    /** Owner or admin adds members (already-present ones are skipped); 300 members at most. */
    public Outcome addParticipants(UUID me, UUID chatId, AddParticipantsRequest request) {
        requireGroupManager(me, chatId);
        Set<UUID> requested = new LinkedHashSet<>();
        if (request != null && request.userIds() != null) {
            if (request.userIds().stream().anyMatch(Objects::isNull)) {
                throw ApiException.validation("userIds", "User ids must not be null");
            }
            requested.addAll(request.userIds());
        }
        if (request != null && request.userId() != null) {
            requested.add(request.userId());
        }
        if (requested.isEmpty()) {
            throw ApiException.validation("userIds", "userIds or userId is required");
        }
        if (requested.size() > MAX_MEMBERS) {
            throw ApiException.validation("userIds", "A group has at most " + MAX_MEMBERS + " members");
        }
        Map<UUID, ChatUser> found = chats.users(requested);
        List<UUID> unknown = requested.stream().filter(id -> !found.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw ApiException.validation("userIds", "Unknown users: " + unknown);
        }
        refuseBlocked(me, requested, "userIds");
        List<UUID> added = new ArrayList<>();
        Outcome outcome = transaction.execute(status -> {
            long position = events.reservePosition();
            Set<UUID> members = chats.activeMemberIds(chatId);
            if (!members.contains(me)) {
                throw ApiException.notFound("Chat");
            }
            List<UUID> joining = requested.stream().filter(id -> !members.contains(id)).toList();
            if (members.size() + joining.size() > MAX_MEMBERS) {
                throw ApiException.validation("userIds", "A group has at most " + MAX_MEMBERS
                        + " members, including its owner; it has " + members.size());
            }
            Instant now = now();
            for (int i = 0; i < joining.size(); i++) {
                long joinPosition = i == 0 ? position : events.reservePosition();
                UUID userId = joining.get(i);
                chats.join(chatId, userId, ChatRole.MEMBER, joinPosition, now);
                events.append(joinPosition, new Event.ParticipantJoined(chatId, found.get(userId), ChatRole.MEMBER, me));
            }
            if (!joining.isEmpty()) {
                // After the joins, so the new members see the line that records their arrival.
                systemMessages.write(chatId, me, SystemLines.MEMBER_ADDED, joining, null, null);
            }
            added.addAll(joining);
            return new Outcome(fullView(me, chatId), !joining.isEmpty());
        });
        added.forEach(userId -> audit.membershipChanged(me, chatId, userId, "added"));
        return outcome;
    }

    /**
     * Owner or admin removes a member. Nobody removes the owner; only the owner removes an admin.
     * Removing yourself is leaving. The removed member receives the participant:left event.
     */
    public void removeParticipant(UUID me, UUID chatId, UUID userId) {
        if (userId.equals(me)) {
            leave(me, chatId);
            return;
        }
        Membership membership = requireGroupManager(me, chatId);
        transaction.executeWithoutResult(status -> {
            long position = events.reservePosition();
            ChatRole target = chats.activeRole(chatId, userId).orElseThrow(() -> ApiException.notFound("Participant"));
            ChatRole mine = chats.activeRole(chatId, me).orElseThrow(() -> ApiException.notFound("Chat"));
            if (!mine.manages()) {
                throw ApiException.forbidden("Only the owner or an admin can do this");
            }
            if (target == ChatRole.OWNER) {
                throw ApiException.forbidden("The owner cannot be removed");
            }
            if (target == ChatRole.ADMIN && mine != ChatRole.OWNER) {
                throw ApiException.forbidden("Only the owner can remove an admin");
            }
            // The timeline line first: it falls inside the removed member's window, so they see it too.
            systemMessages.write(position, chatId, me, SystemLines.MEMBER_REMOVED, List.of(userId), null, null);
            long leftPosition = events.reservePosition();
            // Appended while the member is still in the chat, so they receive it live too.
            events.append(leftPosition, new Event.ParticipantLeft(membership.chatId(), userId, me));
            chats.leave(chatId, userId, leftPosition, now());
        });
        audit.membershipChanged(me, chatId, userId, "removed");
    }

    /**
     * Leave a group. An owner who leaves passes ownership to the longest-standing admin, else the
     * longest-standing member; when the last member leaves the chat is deleted.
     */
    public void leave(UUID me, UUID chatId) {
        Membership membership = access.membership(me, chatId).orElseThrow(() -> ApiException.notFound("Chat"));
        if (!membership.isGroup()) {
            throw ApiException.forbidden("You cannot leave a direct chat; delete it instead");
        }
        transaction.executeWithoutResult(status -> {
            long position = events.reservePosition();
            ChatRole mine = chats.activeRole(chatId, me).orElseThrow(() -> ApiException.notFound("Chat"));
            systemMessages.write(position, chatId, me, SystemLines.MEMBER_LEFT, List.of(me), null, null);
            long leftPosition = events.reservePosition();
            events.append(leftPosition, new Event.ParticipantLeft(chatId, me, null));
            Instant now = now();
            chats.leave(chatId, me, leftPosition, now);
            var successor = chats.successor(chatId);
            if (successor.isEmpty()) {
                chats.markDeleted(chatId, now);
                return;
            }
            if (mine == ChatRole.OWNER) {
                chats.setRole(chatId, successor.get(), ChatRole.OWNER);
                chats.setOwner(chatId, successor.get(), now);
                Event.ChatChanges updates = Event.ChatChanges.none().withOwner(successor.get(),
                        List.of(new Event.RoleChange(successor.get(), ChatRole.OWNER)));
                events.append(events.reservePosition(), new Event.ChatUpdated(chatId, updates));
            }
        });
        audit.membershipChanged(me, chatId, me, "left");
    }

    /**
     * The owner makes a member an admin or back, or hands ownership over ({@code "owner"}: the
     * previous owner becomes an admin).
     */
    public ChatView changeRole(UUID me, UUID chatId, UUID userId, RoleRequest request) {
        ChatRole role;
        try {
            role = ChatRole.of(Objects.requireNonNull(request == null ? null : request.role()));
        } catch (RuntimeException e) {
            throw ApiException.validation("role", "Role must be one of owner, admin, member");
        }
        Membership membership = access.membership(me, chatId).orElseThrow(() -> ApiException.notFound("Chat"));
        if (!membership.isGroup()) {
            throw ApiException.forbidden("A direct chat has no roles");
        }
        if (membership.role() != ChatRole.OWNER) {
            throw ApiException.forbidden("Only the owner can change roles");
        }
        if (userId.equals(me)) {
            throw ApiException.validation("userId", "The owner changes their own role by handing ownership to someone else");
        }
        ChatView changed = transaction.execute(status -> {
            long position = events.reservePosition();
            if (chats.activeRole(chatId, me).orElse(null) != ChatRole.OWNER) {
                throw ApiException.forbidden("Only the owner can change roles");
            }
            chats.activeRole(chatId, userId).orElseThrow(() -> ApiException.notFound("Participant"));
            Event.ChatChanges updates;
            if (role == ChatRole.OWNER) {
                chats.setRole(chatId, userId, ChatRole.OWNER);
                chats.setRole(chatId, me, ChatRole.ADMIN);
                chats.setOwner(chatId, userId, now());
                updates = Event.ChatChanges.none().withOwner(userId,
                        List.of(new Event.RoleChange(userId, ChatRole.OWNER), new Event.RoleChange(me, ChatRole.ADMIN)));
            } else {
                chats.setRole(chatId, userId, role);
                updates = Event.ChatChanges.none().withRoles(List.of(new Event.RoleChange(userId, role)));
            }
            events.append(position, new Event.ChatUpdated(chatId, updates));
            return fullView(me, chatId);
        });
        audit.membershipChanged(me, chatId, userId, "role:" + role.value());
        return changed;
    }

    // ---- helpers -------------------------------------------------------------------------------

    /**
     * Nobody is put into a group by someone they blocked, and nobody puts into a group someone
     * they blocked (the same rule as direct chats). The answer names the refused ids but not the
     * direction of the block.
     */
    private void refuseBlocked(UUID me, Set<UUID> joining, String field) {
        Set<UUID> blocked = contacts.blockedEitherWay(me, joining);
        if (!blocked.isEmpty()) {
            throw new ApiException(app.confab.platform.ErrorCode.FORBIDDEN, "You cannot add these users to a group",
                    blocked.stream().sorted().map(id -> new FieldError(field, "You cannot add user " + id)).toList(), null);
        }
    }

    private Membership requireGroupManager(UUID me, UUID chatId) {
        Membership membership = access.membership(me, chatId).orElseThrow(() -> ApiException.notFound("Chat"));
        if (!membership.isGroup()) {
            throw ApiException.forbidden("A direct chat has no settings or membership to change");
        }
        if (!membership.role().manages()) {
            throw ApiException.forbidden("Only the owner or an admin can do this");
        }
        return membership;
    }

    private static String text(JsonNode body, String field, List<FieldError> errors) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            errors.add(new FieldError(field, "Must be a string"));
            return null;
        }
        return value.asString();
    }

    private static String checkName(String raw, List<FieldError> errors) {
        String name = raw == null ? null : SafeText.clean(raw).strip();
        if (name == null || name.isEmpty()) {
            errors.add(new FieldError("name", "Name is required"));
            return null;
        }
        if (SafeText.length(name) > MAX_NAME) {
            errors.add(new FieldError("name", "Name must be at most " + MAX_NAME + " characters"));
            return null;
        }
        return SafeText.escape(name);
    }

    private static String checkSlug(String raw, List<FieldError> errors) {
        String slug = raw.strip().toLowerCase(Locale.ROOT);
        if (!SLUG.matcher(slug).matches()) {
            errors.add(new FieldError("slug",
                    "Slug is 1-100 lowercase letters, digits, '-' or '_', starting and ending with a letter or digit"));
            return null;
        }
        return slug;
    }

    private static String checkDescription(String raw, List<FieldError> errors) {
        String description = raw == null ? null : SafeText.clean(raw).strip();
        if (description == null || description.isEmpty()) {
            return null;
        }
        if (SafeText.length(description) > MAX_DESCRIPTION) {
            errors.add(new FieldError("description", "Description must be at most " + MAX_DESCRIPTION + " characters"));
            return null;
        }
        return SafeText.escape(description);
    }

    static long parseCursor(String cursor) {
        try {
            long value = Long.parseLong(cursor.strip());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.validation("cursor", "Cursor must be a value from nextCursor");
        }
    }

    static int pageSize(Integer limit) {
        if (limit == null) {
            return DEFAULT_PAGE;
        }
        if (limit < 1) {
            throw ApiException.validation("limit", "Limit must be at least 1");
        }
        return Math.min(limit, MAX_PAGE);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
