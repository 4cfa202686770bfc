package app.confab.message;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.membership.ChatAccess;
import app.confab.stream.EventStore;
import app.confab.protocol.Event;
import app.confab.platform.ApiException;

/** Emoji reactions: any member reacts; each removes only their own. */
@Service
public class ReactionService {

    /** The reaction and whether this request added it (201) or it was already there (200). */
    public record Outcome(ReactionView reaction, boolean created) {
    }

    private final ReactionRepository reactions;
    private final MessageService messages;
    private final ChatAccess access;
    private final EventStore events;
    private final TransactionTemplate transaction;
    private final Clock clock;

    ReactionService(ReactionRepository reactions, MessageService messages, ChatAccess access, EventStore events,
                    TransactionTemplate transaction, Clock clock) {
        this.reactions = reactions;
        this.messages = messages;
        this.access = access;
        this.events = events;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** Same user and emoji twice returns the existing reaction. */
    public Outcome add(UUID me, UUID messageId, String emoji) {
        MessageRow message = messages.visibleTo(me, messageId).row();
        String checked = emoji == null ? null : emoji.strip();
        if (!MessageContent.isEmoji(checked)) {
            throw ApiException.validation("emoji", "Emoji must be a short emoji sequence, not text");
        }
        return transaction.execute(status -> {
            long position = events.reservePosition();
            var added = reactions.insert(messageId, me, checked, clock.instant().truncatedTo(ChronoUnit.MICROS));
            if (added.isEmpty()) {
                return new Outcome(reactions.find(messageId, me, checked)
                        .orElseThrow(() -> ApiException.notFound("Message")), false);
            }
            ReactionView reaction = reactions.find(added.get()).orElseThrow();
            events.append(position, new Event.ReactionAdded(messageId, message.chatId(),
                    new Event.ReactionSummary(reaction.id(), reaction.emoji(), reaction.userId(), reaction.username())));
            return new Outcome(reaction, true);
        });
    }

    /** Removes the caller's own reaction on this message. */
    public void remove(UUID me, UUID messageId, UUID reactionId) {
        MessageRow message = messages.visibleTo(me, messageId).row();
        ReactionView reaction = reactions.find(reactionId)
                .filter(found -> found.messageId().equals(messageId))
                .orElseThrow(() -> ApiException.notFound("Reaction"));
        if (!reaction.userId().equals(me)) {
            throw ApiException.forbidden("You can remove only your own reactions");
        }
        transaction.executeWithoutResult(status -> {
            long position = events.reservePosition();
            if (!reactions.delete(reactionId)) {
                throw ApiException.notFound("Reaction");
            }
            events.append(position, new Event.ReactionRemoved(messageId, message.chatId(), reactionId,
                    reaction.emoji(), reaction.userId()));
        });
    }

    /** Removes a reaction known only by id (the WebSocket reaction:remove request). */
    public void remove(UUID me, UUID reactionId) {
        ReactionView reaction = reactions.find(reactionId).orElseThrow(() -> ApiException.notFound("Reaction"));
        try {
            remove(me, reaction.messageId(), reactionId);
        } catch (ApiException e) {
            // A reaction on a message the caller cannot see answers like one that does not exist.
            if (e.code() == app.confab.platform.ErrorCode.NOT_FOUND) {
                throw ApiException.notFound("Reaction");
            }
            throw e;
        }
    }
}
