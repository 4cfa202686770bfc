package app.confab.message;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.attachment.AttachmentView;
import app.confab.attachment.MessageAttachments;
import app.confab.membership.ChatAccess;
import app.confab.membership.Membership;
import app.confab.contact.ContactService;
import app.confab.stream.EventStore;
import app.confab.stream.StreamWriter;
import app.confab.protocol.Event;
import app.confab.platform.ApiException;
import app.confab.platform.ApiException.FieldError;
import app.confab.platform.AuditLog;
import app.confab.platform.Metrics;
import app.confab.platform.RateLimiter;
import app.confab.protocol.MessageView;
import tools.jackson.databind.JsonNode;

/**
 * Sending, reading, editing and deleting messages (docs/subsystems/chats-messages.md).
 *
 * <p>Checks that only read run before the write transaction; the transaction takes the stream
 * lock first (reserving the position of its event), writes, and appends its event last, so the
 * lock is held only for the writes themselves.
 */
@Service
public class MessageService {

    static final int MAX_ATTACHMENTS = 10;
    static final int MAX_CLIENT_ID = 100;

    public record SendMessageRequest(String content, String contentType, JsonNode metadata, UUID replyToId,
                                     String clientMessageId, List<UUID> attachmentIds, UUID threadRootId) {

        public SendMessageRequest(String content, String contentType, JsonNode metadata, UUID replyToId,
                                  String clientMessageId, List<UUID> attachmentIds) {
            this(content, contentType, metadata, replyToId, clientMessageId, attachmentIds, null);
        }
    }

    /**
     * A thread: its root and a page of replies, newest first (like a chat's history page), with the
     * caller's read position in the thread and how many replies from others are after it.
     */
    public record ThreadPage(MessageView root, List<MessageView> data, String nextCursor, boolean hasMore,
                             long lastReadPosition, long unreadCount) {
    }

    /** The caller's read state in a thread after marking it read. */
    public record ThreadReadState(UUID rootId, long lastReadPosition, long unreadCount) {
    }

    public record EditMessageRequest(String content, JsonNode metadata) {
    }

    /** The message and whether this request stored it (201) or found an earlier send with its clientMessageId (200). */
    public record Sent(MessageView message, boolean created) {
    }

    private final MessageRepository messages;
    private final MessageViews views;
    private final ChatAccess access;
    private final ContactService contacts;
    private final MessageAttachments attachments;
    private final EventStore events;
    private final MessageRedaction redaction;
    private final RateLimiter rateLimiter;
    private final TransactionTemplate transaction;
    private final StreamWriter streamWriter;
    private final Clock clock;
    private final AuditLog audit;
    private final Metrics metrics;
    private final List<MessageSentListener> sentListeners;
    /** The batch's new messages in one insert, under the stream lock (one instance: a batch groups by it). */
    private final StreamWriter.BatchStatement<MessageRepository.NewMessage, MessageRepository.Stored> insertMessages;

    MessageService(MessageRepository messages, MessageViews views, ChatAccess access, ContactService contacts,
                   MessageAttachments attachments, EventStore events, MessageRedaction redaction, RateLimiter rateLimiter,
                   TransactionTemplate transaction, StreamWriter streamWriter, Clock clock, AuditLog audit,
                   Metrics metrics, List<MessageSentListener> sentListeners) {
        this.sentListeners = sentListeners;
        this.messages = messages;
        this.views = views;
        this.access = access;
        this.contacts = contacts;
        this.attachments = attachments;
        this.events = events;
        this.redaction = redaction;
        this.rateLimiter = rateLimiter;
        this.transaction = transaction;
        this.streamWriter = streamWriter;
        this.clock = clock;
        this.audit = audit;
        this.metrics = metrics;
        this.insertMessages = rows -> {
            events.beginAppend();
            return messages.insertAll(rows);
        };
    }

    // ---- sending -------------------------------------------------------------------------------

    /**
     * Stores a message and its message:new event in one transaction. Idempotent on
     * (sender, clientMessageId): a retry returns the first message with created=false.
     */
    public Sent send(UUID me, UUID chatId, SendMessageRequest request) {
        try {
            Sent sent = store(me, chatId, request);
            metrics.messageProcessed("send", sent.created() ? "success" : "duplicate");
            if (sent.created()) {
                // After commit: listeners (link previews) do slow work of their own, never in the send.
                sentListeners.forEach(listener -> listener.sent(sent.message()));
            }
            return sent;
        } catch (RuntimeException e) {
            metrics.messageProcessed("send", "failed");
            throw e;
        }
    }

    private Sent store(UUID me, UUID chatId, SendMessageRequest request) {
        Duration wait = rateLimiter.tryAcquire(RateLimiter.Limit.MESSAGE, me.toString());
        if (wait != null) {
            throw ApiException.rateLimited("Too many messages, slow down", wait);
        }
        if (request == null) {
            throw ApiException.validation("content", "Content is required");
        }
        // A plain message (no mention, reply, thread or attachment) reads nothing before its insert:
        // the insert itself checks membership and blocks, under the stream lock. The others need the
        // membership first (to resolve mentions, and before looking at the messages they point to).
        List<UUID> attachmentIds = request.attachmentIds() == null ? List.of() : request.attachmentIds();
        boolean plain = attachmentIds.isEmpty() && request.replyToId() == null && request.threadRootId() == null
                && !Mentions.mayMention(request.content());
        Membership membership = plain ? null : access.requireMember(me, chatId);
        String clientMessageId = request.clientMessageId();
        List<FieldError> errors = new ArrayList<>();
        if (clientMessageId != null && (clientMessageId.isBlank() || clientMessageId.length() > MAX_CLIENT_ID)) {
            errors.add(new FieldError("clientMessageId", "clientMessageId must be 1-" + MAX_CLIENT_ID + " characters"));
        }
        // A retry (same clientMessageId) is recognised by the insert itself, under the stream lock:
        // no read per send for the rare retry.
        if (attachmentIds.stream().anyMatch(java.util.Objects::isNull)) {
            errors.add(new FieldError("attachmentIds", "Attachment ids must not be null"));
        } else if (attachmentIds.size() > MAX_ATTACHMENTS) {
            errors.add(new FieldError("attachmentIds", "At most " + MAX_ATTACHMENTS + " attachments per message"));
        }
        MessageContent.Checked content = MessageContent.check(request.content(), request.contentType(),
                request.metadata(), !attachmentIds.isEmpty(), errors);
        MessageRow.Reply reply = null;
        if (request.replyToId() != null) {
            MessageRow original = messages.find(request.replyToId()).orElse(null);
            if (original == null || !original.chatId().equals(chatId) || original.isDeleted()) {
                errors.add(new FieldError("replyToId", "Must be a message in this chat"));
            } else {
                reply = new MessageRow.Reply(original.id(), original.senderId(), original.senderUsername(),
                        original.senderDisplayName(), original.content(), original.contentType(), false,
                        original.createdAt());
            }
        }
        UUID threadRootId = request.threadRootId();
        if (threadRootId != null) {
            MessageRow root = messages.find(threadRootId).orElse(null);
            if (root == null || !root.chatId().equals(chatId) || root.isDeleted()) {
                errors.add(new FieldError("threadRootId", "Must be a message in this chat"));
            } else if (root.threadRootId() != null) {
                errors.add(new FieldError("threadRootId", "Must be a message of the main timeline, not a thread reply"));
            } else if ("system".equals(root.contentType())) {
                errors.add(new FieldError("threadRootId", "A system message has no thread"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        Mentions.Parsed mentions = plain ? Mentions.Parsed.NONE : mentions(membership, content.content());
        MessageRow.Reply replyTo = reply;
        // Serialised once, off the writer thread: the body runs in the stream's serial section.
        String metadata = content.metadata().toString();
        // Group commit: sends that arrive together share one stream lock, one message insert, one
        // event insert and one commit.
        UUID id = UUID.randomUUID();
        MessageRepository.NewMessage row = new MessageRepository.NewMessage(id, chatId, me, clientMessageId,
                content.content(), content.contentType(), metadata, request.replyToId(), now(), mentions, threadRootId);
        Sent sent = streamWriter.execute(insertMessages, row, (status, stored) -> {
            if (stored == null) {
                // Nothing written: the writer's batch goes on without this one (no exception, which
                // would roll the whole batch back and run every body again).
                return null;
            }
            long position = stored.position();
            List<AttachmentView> attached = attachmentIds.isEmpty() ? List.of()
                    : attachments.attach(me, chatId, id, attachmentIds);
            MessageRow message = new MessageRow(id, chatId, me, stored.senderUsername(), stored.senderDisplayName(),
                    stored.senderAvatarUrl(), position, clientMessageId, content.content(), content.contentType(),
                    metadata, request.replyToId(), false, null, false, stored.createdAt(), replyTo,
                    mentions.userIds(), mentions.everyone(), threadRootId, null, null);
            MessageView view = views.view(message, attached, List.of());
            events.append(position, new Event.MessageNew(view));
            return new Sent(view, true);
        });
        return sent != null ? sent : refused(me, chatId, clientMessageId);
    }

    /**
     * Why the insert stored nothing, once its batch has committed: the sender is not an active member
     * of the live chat (404), sent this clientMessageId before (that send, a retry's answer: a
     * concurrent send with the same id may have committed just now), or a block holds in the direct
     * chat (403).
     */
    private Sent refused(UUID me, UUID chatId, String clientMessageId) {
        Membership membership = access.requireMember(me, chatId);
        var earlier = clientMessageId == null ? null : messages.findByClientId(me, clientMessageId).orElse(null);
        if (earlier != null) {
            return new Sent(earlierSend(earlier, chatId), false);
        }
        if (membership.isDirect() && contacts.isBlockedEitherWay(me, membership.otherDirectMember())) {
            throw ApiException.forbidden("You cannot send messages to this user");
        }
        throw ApiException.notFound("Chat");
    }

    private MessageView earlierSend(MessageRow earlier, UUID chatId) {
        if (!earlier.chatId().equals(chatId)) {
            throw ApiException.conflict("This clientMessageId was already used for a message in another chat");
        }
        if (earlier.isDeleted()) {
            throw ApiException.conflict("The message sent with this clientMessageId has been deleted");
        }
        return views.view(earlier);
    }

    // ---- reading -------------------------------------------------------------------------------

    public MessageView get(UUID me, UUID messageId) {
        return views.view(visibleTo(me, messageId).row());
    }

    /**
     * A page of a chat's messages, newest first: before {@code cursor} (older), after {@code after}
     * (newer), or centred on {@code around}; without any, the newest page.
     */
    public MessagePage list(UUID me, UUID chatId, String cursor, String after, UUID around, Integer limit) {
        access.requireMember(me, chatId);
        int modes = (cursor != null ? 1 : 0) + (after != null ? 1 : 0) + (around != null ? 1 : 0);
        if (modes > 1) {
            throw ApiException.validation("cursor", "Use only one of cursor, after and around");
        }
        int size = pageSize(limit);
        List<MessageRow> rows;
        boolean hasMore;
        boolean hasNewer;
        if (around != null) {
            MessageRow target = messages.find(around)
                    .filter(row -> row.chatId().equals(chatId) && !row.isDeleted())
                    .orElseThrow(() -> ApiException.notFound("Message"));
            int olderWanted = (size - 1) / 2;
            int newerWanted = size - 1 - olderWanted;
            List<MessageRow> older = messages.before(me, chatId, target.position(), olderWanted + 1);
            List<MessageRow> newer = messages.after(me, chatId, target.position(), newerWanted + 1);
            hasMore = older.size() > olderWanted;
            hasNewer = newer.size() > newerWanted;
            rows = new ArrayList<>(newer.subList(0, Math.min(newer.size(), newerWanted)).reversed());
            rows.add(target);
            rows.addAll(older.subList(0, Math.min(older.size(), olderWanted)));
        } else if (after != null) {
            List<MessageRow> newer = messages.after(me, chatId, position("after", after), size + 1);
            hasNewer = newer.size() > size;
            rows = newer.subList(0, Math.min(newer.size(), size)).reversed();
            hasMore = !rows.isEmpty() && messages.anyBefore(me, chatId, rows.getLast().position());
        } else {
            long before = cursor == null ? Long.MAX_VALUE : position("cursor", cursor);
            List<MessageRow> older = messages.before(me, chatId, before, size + 1);
            hasMore = older.size() > size;
            rows = older.subList(0, Math.min(older.size(), size));
            hasNewer = cursor != null && !rows.isEmpty() && messages.anyAfter(me, chatId, rows.getFirst().position());
        }
        hasMore = hasMore && !rows.isEmpty();
        hasNewer = hasNewer && !rows.isEmpty();
        return new MessagePage(views.views(rows),
                hasMore ? Long.toString(rows.getLast().position()) : null, hasMore,
                hasNewer ? Long.toString(rows.getFirst().position()) : null, hasNewer);
    }

    // ---- changing ------------------------------------------------------------------------------

    /** The author replaces content and metadata (metadata omitted = no formatting ranges). */
    public MessageView edit(UUID me, UUID messageId, EditMessageRequest request) {
        try {
            MessageView edited = applyEdit(me, messageId, request);
            metrics.messageProcessed("edit", "success");
            return edited;
        } catch (RuntimeException e) {
            metrics.messageProcessed("edit", "failed");
            throw e;
        }
    }

    private MessageView applyEdit(UUID me, UUID messageId, EditMessageRequest request) {
        MessageRow row = visibleTo(me, messageId).row();
        if (!me.equals(row.senderId()) || "system".equals(row.contentType())) {
            throw ApiException.forbidden("Only the author can edit a message");
        }
        if (request == null) {
            throw ApiException.validation("content", "Content is required");
        }
        boolean hasAttachments = !attachments.forMessages(List.of(messageId)).getOrDefault(messageId, List.of()).isEmpty();
        List<FieldError> errors = new ArrayList<>();
        MessageContent.Checked content = MessageContent.check(request.content(), row.contentType(), request.metadata(),
                hasAttachments, errors);
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        Mentions.Parsed mentions = mentions(visibleTo(me, messageId).membership(), content.content());
        transaction.executeWithoutResult(status -> {
            long position = events.reservePosition();
            Instant editedAt = messages.edit(messageId, content.content(), content.metadata().toString(), now(),
                            mentions)
                    .orElseThrow(() -> ApiException.notFound("Message"));
            redaction.edited(messageId, content.content(), content.metadata(), editedAt, position, mentions);
            events.append(position, new Event.MessageEdited(messageId, row.chatId(), content.content(),
                    content.metadata(), editedAt, mentions.userIds(), mentions.everyone()));
        });
        return views.view(visible(messageId));
    }

    /** The author, or an owner or admin of the group, deletes a message: its text and files are gone for everyone. */
    public void delete(UUID me, UUID messageId) {
        try {
            remove(me, messageId);
            metrics.messageProcessed("delete", "success");
        } catch (RuntimeException e) {
            metrics.messageProcessed("delete", "failed");
            throw e;
        }
    }

    private void remove(UUID me, UUID messageId) {
        Visible visible = visibleTo(me, messageId);
        MessageRow row = visible.row();
        Membership membership = visible.membership();
        boolean moderator = membership.isGroup() && membership.role().manages();
        if (!me.equals(row.senderId()) && !moderator) {
            throw ApiException.forbidden("Only the author or a group owner or admin can delete this message");
        }
        transaction.executeWithoutResult(status -> {
            long position = events.reservePosition();
            if (!messages.softDelete(messageId, now())) {
                throw ApiException.notFound("Message");
            }
            attachments.messageDeleted(messageId);
            redaction.deleted(List.of(messageId));
            events.append(position, new Event.MessageDeleted(messageId, row.chatId()));
        });
        audit.deleted(me, "message", messageId);
    }

    // ---- threads -------------------------------------------------------------------------------

    /** The thread of a main-timeline message: the root and its replies, newest first, paged by {@code cursor}. */
    public ThreadPage thread(UUID me, UUID rootId, String cursor, Integer limit) {
        MessageRow root = visibleTo(me, rootId).row();
        if (root.threadRootId() != null) {
            throw ApiException.validation("messageId", "This message is a thread reply; open its root's thread");
        }
        int size = pageSize(limit);
        long before = cursor == null ? Long.MAX_VALUE : position("cursor", cursor);
        List<MessageRow> rows = messages.threadBefore(rootId, before, size + 1);
        boolean hasMore = rows.size() > size;
        List<MessageRow> page = rows.subList(0, Math.min(rows.size(), size));
        long read = messages.threadReadPosition(me, rootId);
        return new ThreadPage(views.view(root), views.views(page),
                hasMore ? Long.toString(page.getLast().position()) : null, hasMore,
                read, messages.threadUnread(me, rootId, read));
    }

    /** Marks the thread read up to and including the reply {@code messageId} (never backwards). */
    public ThreadReadState markThreadRead(UUID me, UUID rootId, UUID messageId) {
        MessageRow root = visibleTo(me, rootId).row();
        if (messageId == null) {
            throw ApiException.validation("messageId", "messageId is required");
        }
        MessageRow reply = messages.find(messageId)
                .filter(row -> rootId.equals(row.threadRootId()) || row.id().equals(root.id()))
                .orElseThrow(() -> ApiException.validation("messageId", "Must be a reply of this thread"));
        long read = messages.markThreadRead(me, rootId, reply.position());
        return new ThreadReadState(rootId, read, messages.threadUnread(me, rootId, read));
    }

    // ---- helpers -------------------------------------------------------------------------------

    /**
     * The members the text mentions. {@code @here}/{@code @all} count only in groups, and when the
     * group restricts them to admins only for its owner and admins (for others they stay text).
     */
    private Mentions.Parsed mentions(Membership membership, String content) {
        if (!Mentions.mayMention(content)) {
            return Mentions.Parsed.NONE;
        }
        boolean everyoneAllowed = membership.isGroup()
                && (membership.role().manages() || !"admins".equals(messages.everyoneMentions(membership.chatId())));
        return Mentions.parse(content, messages.memberIdsByUsername(membership.chatId()), everyoneAllowed);
    }

    /** The message unless it does not exist or is deleted (404 either way). Access is checked by the caller. */
    MessageRow visible(UUID messageId) {
        return messages.find(messageId).filter(row -> !row.isDeleted()).orElseThrow(() -> ApiException.notFound("Message"));
    }

    /**
     * The message and the caller's membership of its chat. A message in a chat the caller is not
     * in gets the same "Message not found" as an id that never existed, so ids leak nothing.
     */
    Visible visibleTo(UUID me, UUID messageId) {
        MessageRow row = visible(messageId);
        Membership membership = access.membership(me, row.chatId()).orElseThrow(() -> ApiException.notFound("Message"));
        return new Visible(row, membership);
    }

    record Visible(MessageRow row, Membership membership) {
    }

    static int pageSize(Integer limit) {
        if (limit == null) {
            return 50;
        }
        if (limit < 1) {
            throw ApiException.validation("limit", "Limit must be at least 1");
        }
        return Math.min(limit, 100);
    }

    static long position(String field, String value) {
        try {
            long position = Long.parseLong(value.strip());
            if (position < 0) {
                throw new NumberFormatException();
            }
            return position;
        } catch (NumberFormatException e) {
            throw ApiException.validation(field, "Must be a cursor from a previous page (a message position)");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
