package app.confab.message;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;

import app.confab.attachment.AttachmentView;
import app.confab.attachment.MessageAttachments;
import app.confab.protocol.MessageLookup;
import app.confab.protocol.MessageView;
import app.confab.platform.SafeText;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns message rows into {@link MessageView}s. Attachments and reactions of a whole page come in
 * one query each, whatever the page size.
 */
@Component
public class MessageViews implements MessageLookup {

    static final int REPLY_PREVIEW_CHARS = 200;

    private final MessageRepository messages;
    private final ReactionRepository reactions;
    private final MessageAttachments attachments;
    private final ObjectMapper objectMapper;

    MessageViews(MessageRepository messages, ReactionRepository reactions, MessageAttachments attachments,
                 ObjectMapper objectMapper) {
        this.messages = messages;
        this.reactions = reactions;
        this.attachments = attachments;
        this.objectMapper = objectMapper;
    }

    /** Views of the messages among these ids that are not deleted. The caller checks access. */
    @Override
    public Map<UUID, MessageView> byIds(Collection<UUID> ids) {
        Map<UUID, MessageView> result = new LinkedHashMap<>();
        views(messages.findVisible(ids)).forEach(view -> result.put(view.id(), view));
        return result;
    }

    List<MessageView> views(List<MessageRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = rows.stream().map(MessageRow::id).toList();
        Map<UUID, List<AttachmentView>> attachmentsById = attachments.forMessages(ids);
        Map<UUID, List<MessageView.ReactionGroup>> reactionsById = reactions.grouped(ids);
        Map<UUID, MessageView.ThreadSummary> threads = messages.threadSummaries(
                rows.stream().filter(row -> row.threadRootId() == null).map(MessageRow::id).toList());
        return rows.stream()
                .map(row -> view(row, attachmentsById.getOrDefault(row.id(), List.of()),
                        reactionsById.getOrDefault(row.id(), List.of()), threads.get(row.id())))
                .toList();
    }

    MessageView view(MessageRow row) {
        return views(List.of(row)).getFirst();
    }

    MessageView view(MessageRow row, List<AttachmentView> attachmentViews, List<MessageView.ReactionGroup> reactionGroups) {
        return view(row, attachmentViews, reactionGroups, null);
    }

    MessageView view(MessageRow row, List<AttachmentView> attachmentViews, List<MessageView.ReactionGroup> reactionGroups,
                     MessageView.ThreadSummary thread) {
        MessageRow.Reply reply = row.reply();
        MessageView.ReplySummary replyTo = reply == null ? null : new MessageView.ReplySummary(reply.id(),
                reply.senderId(), reply.senderUsername(), reply.senderDisplayName(),
                reply.isDeleted() ? "" : SafeText.preview(reply.content(), REPLY_PREVIEW_CHARS),
                reply.contentType(), reply.isDeleted(), reply.createdAt());
        return new MessageView(row.id(), row.chatId(), row.senderId(), row.senderUsername(), row.senderDisplayName(),
                row.senderAvatarUrl(), row.content(), row.contentType(), metadata(row.metadata()), row.replyToId(),
                replyTo, attachmentViews, reactionGroups, row.clientMessageId(), row.position(), row.isEdited(),
                row.editedAt(), row.createdAt(), row.mentions(), row.mentionsEveryone(), row.threadRootId(), thread,
                row.systemEvent() == null ? null : objectMapper.readValue(row.systemEvent(), MessageView.SystemEvent.class),
                row.linkPreview() == null ? null : objectMapper.readValue(row.linkPreview(), MessageView.LinkPreview.class));
    }

    JsonNode metadata(String json) {
        return objectMapper.readTree(json == null ? "{}" : json);
    }
}
