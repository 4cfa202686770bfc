package app.confab.notification;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import app.confab.membership.ChatAccess;
import app.confab.notification.NotificationRepository.NewMessage;
import app.confab.notification.NotificationRepository.PreferencesRow;
import tools.jackson.databind.ObjectMapper;

/**
 * Follows committed messages and pushes the ones that concern someone who is not looking.
 *
 * <p>It tails the messages table by stream position instead of hooking the send path: sends are
 * never slowed or failed by push services, and positions commit in order (the stream lock), so a
 * watermark misses nothing. Every node tails; the {@code push_deliveries} claim (a unique key per
 * message and device) makes each notification go out once across the deployment. A node starts
 * at the newest message: what was sent while no node ran is not pushed later.
 */
@Component
class PushTail {

    private static final Logger log = LoggerFactory.getLogger(PushTail.class);
    static final int PREVIEW_CHARS = 120;

    private final NotificationRepository repository;
    private final ChatAccess access;
    private final MentionSource mentions;
    private final PushSender sender;
    private final ObjectMapper json;
    private final Clock clock;
    private volatile long watermark = -1;

    PushTail(NotificationRepository repository, ChatAccess access, MentionSource mentions, PushSender sender,
             ObjectMapper json, Clock clock) {
        this.repository = repository;
        this.access = access;
        this.mentions = mentions;
        this.sender = sender;
        this.json = json;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${confab.notifications.scan-interval:1s}", initialDelay = 500)
    void scan() {
        try {
            if (watermark < 0) {
                watermark = repository.maxMessagePosition();
                return;
            }
            scanFrom(watermark);
        } catch (RuntimeException e) {
            log.warn("Push tail failed; retrying at the next scan: {}", e.toString());
        }
    }

    /** The position of the last message looked at (tests wait for it instead of sleeping). */
    long watermark() {
        return watermark;
    }

    /** Processes messages after {@code from}; package-visible so a test can replay a range as another node would. */
    synchronized void scanFrom(long from) {
        long position = from;
        while (true) {
            List<NewMessage> batch = repository.messagesAfter(position, 200);
            Page page = page(batch);
            for (NewMessage message : batch) {
                process(message, page);
                position = message.position();
            }
            if (position > watermark) {
                watermark = position;
            }
            if (batch.size() < 200) {
                return;
            }
        }
    }

    /**
     * What a page of messages needs besides the messages: the members of its chats and the state of
     * those members, read once for the page (two queries), not once per message.
     */
    private record Page(Map<UUID, List<UUID>> members, Map<UUID, NotificationRepository.Recipient> recipients) {
    }

    private Page page(List<NewMessage> batch) {
        List<UUID> chats = batch.stream()
                .filter(NewMessage::pushable)
                .map(NewMessage::chatId).distinct().toList();
        if (chats.isEmpty()) {
            return new Page(Map.of(), Map.of());
        }
        Map<UUID, List<UUID>> members = access.activeMembers(chats);
        List<UUID> userIds = members.values().stream().flatMap(List::stream).distinct().toList();
        Map<UUID, NotificationRepository.Recipient> recipients = new HashMap<>();
        repository.recipients(userIds).forEach(r -> recipients.put(r.userId(), r));
        return new Page(members, recipients);
    }

    private void process(NewMessage message, Page page) {
        if (!message.pushable()) {
            return;
        }
        Map<UUID, NotificationRepository.Recipient> recipients = new LinkedHashMap<>();
        for (UUID memberId : page.members().getOrDefault(message.chatId(), List.of())) {
            NotificationRepository.Recipient recipient = page.recipients().get(memberId);
            if (recipient != null && !memberId.equals(message.senderId())) {
                recipients.put(memberId, recipient);
            }
        }
        if (recipients.isEmpty()) {
            return;
        }
        Map<UUID, String> usernames = new LinkedHashMap<>();
        recipients.values().forEach(r -> usernames.put(r.userId(), r.username()));
        boolean direct = "direct".equals(message.chatType());
        Set<UUID> mentioned = direct ? Set.of() : mentions.mentioned(message.mentions(), message.mentionsEveryone(), usernames);
        for (NotificationRepository.Recipient recipient : recipients.values()) {
            UUID userId = recipient.userId();
            boolean concerns = direct || mentioned.contains(userId) || userId.equals(message.replyToSenderId());
            // Someone online is looking at Confab (a socket or long-poll, not idle): the app tells them.
            if (!concerns || "online".equals(recipient.status())) {
                continue;
            }
            PreferencesRow prefs = repository.preferences(userId).orElse(PreferencesRow.DEFAULTS);
            String level = repository.chatLevel(userId, message.chatId()).orElse(prefs.defaultLevel());
            if (!prefs.push() || "nothing".equals(level)
                    || QuietHours.isQuiet(prefs.quietStart(), prefs.quietEnd(), prefs.quietTimeZone(), clock.instant())) {
                continue;
            }
            var subscriptions = repository.subscriptions(userId);
            if (subscriptions.isEmpty()) {
                continue;
            }
            byte[] payload = payload(message, direct, prefs.pushPreview(), mentioned.contains(userId));
            for (var subscription : subscriptions) {
                if (repository.claimPush(message.id(), subscription.id())) {
                    sender.sendAsync(subscription, payload, PushSender.topic(message.chatId()));
                }
            }
        }
    }

    private byte[] payload(NewMessage message, boolean direct, boolean preview, boolean mention) {
        String senderName = Previews.plain(message.senderName(), 60);
        String chatName = direct ? senderName : Previews.plain(message.chatName(), 60);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "message");
        body.put("chatId", message.chatId().toString());
        body.put("messageId", message.id().toString());
        body.put("title", direct ? senderName : chatName);
        body.put("sender", senderName);
        body.put("chatName", chatName);
        body.put("mention", mention);
        // Without a preview the push service and the lock screen see who, not what.
        String text = preview ? Previews.plain(message.content(), PREVIEW_CHARS) : "";
        body.put("body", preview ? (direct ? text : senderName + ": " + text) : "New message");
        body.put("url", "/chats/" + message.chatId() + "/messages/" + message.id());
        body.put("tag", "chat-" + message.chatId());
        return json.writeValueAsBytes(body);
    }
}
