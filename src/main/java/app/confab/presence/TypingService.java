package app.confab.presence;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import app.confab.delivery.DeliverySettings;
import app.confab.delivery.LivePush;
import app.confab.platform.ApiException;
import app.confab.protocol.Event;
import app.confab.membership.ChatAccess;
import tools.jackson.databind.JsonNode;

/**
 * Typing indicators: ephemeral events to the chat's other members. An indicator ends by itself
 * {@link DeliverySettings#typingTimeout()} after the last typing:start (clients repeat typing:start
 * while the user keeps typing), so a client that vanishes mid-sentence leaves no one "typing".
 */
@Service
class TypingService {

    private record Typing(UUID chatId, UUID userId) {
    }

    /** At most one typing:start per chat and sender reaches the others per this window. */
    static final java.time.Duration COALESCE = java.time.Duration.ofSeconds(2);

    private final Map<Typing, Instant> expiries = new ConcurrentHashMap<>();
    /** When each (chat, sender)'s last forwarded typing:start went out. */
    private final Map<Typing, Instant> forwarded = new ConcurrentHashMap<>();
    private final PresenceRepository repository;
    private final ChatAccess access;
    private final LivePush push;
    private final DeliverySettings settings;
    private final Clock clock;

    TypingService(PresenceRepository repository, ChatAccess access, LivePush push, DeliverySettings settings, Clock clock) {
        this.repository = repository;
        this.access = access;
        this.push = push;
        this.settings = settings;
        this.clock = clock;
    }

    Map<String, Object> start(UUID userId, JsonNode data) {
        UUID chatId = memberChat(userId, data);
        Typing key = new Typing(chatId, userId);
        Instant now = clock.instant();
        expiries.put(key, now.plus(settings.typingTimeout()));
        // Coalesced: a repeat within the window only extends the indicator (acked, not forwarded).
        boolean[] fresh = {false};
        forwarded.compute(key, (k, last) -> {
            if (last == null || !now.isBefore(last.plus(COALESCE))) {
                fresh[0] = true;
                return now;
            }
            return last;
        });
        if (fresh[0]) {
            String username = repository.username(userId).orElse("");
            publish(chatId, userId, new Event.TypingStarted(chatId, userId, username));
        }
        return Map.of("chatId", chatId.toString());
    }

    Map<String, Object> stop(UUID userId, JsonNode data) {
        UUID chatId = memberChat(userId, data);
        expiries.remove(new Typing(chatId, userId));
        publishStop(chatId, userId);
        return Map.of("chatId", chatId.toString());
    }

    @Scheduled(fixedDelay = 500)
    void expire() {
        Instant now = clock.instant();
        forwarded.values().removeIf(last -> !now.isBefore(last.plus(COALESCE)));
        for (Map.Entry<Typing, Instant> entry : expiries.entrySet()) {
            if (!entry.getValue().isAfter(now) && expiries.remove(entry.getKey(), entry.getValue())) {
                publishStop(entry.getKey().chatId(), entry.getKey().userId());
            }
        }
    }

    private void publishStop(UUID chatId, UUID userId) {
        publish(chatId, userId, new Event.TypingStopped(chatId, userId));
    }

    private void publish(UUID chatId, UUID userId, Event.Ephemeral event) {
        List<UUID> others = access.activeMembers(chatId).stream().filter(member -> !member.equals(userId)).toList();
        push.push(others, event);
    }

    private UUID memberChat(UUID userId, JsonNode data) {
        JsonNode chatIdNode = data.get("chatId");
        UUID chatId = null;
        if (chatIdNode != null && chatIdNode.isString()) {
            try {
                chatId = UUID.fromString(chatIdNode.asString());
            } catch (IllegalArgumentException e) {
                chatId = null;
            }
        }
        if (chatId == null) {
            throw ApiException.validation("chatId", "Must be a chat id");
        }
        if (!access.isActiveMember(chatId, userId)) {
            throw ApiException.forbidden("You are not a member of this chat");
        }
        return chatId;
    }
}
