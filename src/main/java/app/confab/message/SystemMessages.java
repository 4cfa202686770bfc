package app.confab.message;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import app.confab.stream.EventStore;
import app.confab.membership.ChatAccess;
import app.confab.protocol.Event;
import app.confab.protocol.MessageView;
import app.confab.protocol.SystemLines;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes system messages (member added, removed or left, chat renamed, description changed, a call
 * ended) into a chat's timeline. Called by the chat and call features inside the transaction that
 * makes the change, so the change and its timeline line commit together and every member sees the
 * same history. A system
 * message has empty content (search never finds it), {@code contentType "system"}, the actor as its
 * sender, and does not count as unread.
 */
@Component
public class SystemMessages implements SystemLines {

    private final MessageRepository messages;
    private final MessageViews views;
    private final EventStore events;
    private final ObjectMapper objectMapper;
    private final Clock clock;
    private final ChatAccess access;

    SystemMessages(MessageRepository messages, MessageViews views, EventStore events, ObjectMapper objectMapper,
                   Clock clock, ChatAccess access) {
        this.access = access;
        this.messages = messages;
        this.views = views;
        this.events = events;
        this.objectMapper = objectMapper;
        this.clock = clock;
    }

    /**
     * Inside the caller's stream transaction: stores the system message at a fresh stream position
     * and appends its message:new. Call it while the members who should see it are still members
     * (before a removal, after an addition).
     */
    @Override
    public MessageView write(UUID chatId, UUID actorId, String action, List<UUID> targetIds, String name,
                             String description) {
        return write(events.reservePosition(), chatId, actorId, action, targetIds, name, description);
    }

    /**
     * Like {@link #write(UUID, UUID, String, List, String, String)} at a position the caller
     * reserved: a member who leaves sees the line only if it comes before their participant:left.
     */
    @Override
    public MessageView write(long position, UUID chatId, UUID actorId, String action, List<UUID> targetIds,
                             String name, String description) {
        return write(position, chatId, new MessageView.SystemEvent(action, actorId,
                targetIds == null ? List.of() : List.copyOf(targetIds), name, description, null));
    }

    /**
     * The call log line (docs/subsystems/calls.md, "Call log"), in the caller's name, inside the
     * caller's transaction; empty when the caller is no longer a member of the chat. Membership is
     * checked under the stream lock, so a leave cannot slip in between the check and the line.
     */
    public Optional<MessageView> callEnded(UUID chatId, UUID callerId, MessageView.CallOutcome call) {
        long position = events.reservePosition();
        if (!access.isActiveMember(chatId, callerId)) {
            return Optional.empty();
        }
        return Optional.of(write(position, chatId,
                new MessageView.SystemEvent(CALL_ENDED, callerId, List.of(), null, null, call)));
    }

    private MessageView write(long position, UUID chatId, MessageView.SystemEvent system) {
        UUID id = UUID.randomUUID();
        UUID actorId = system.actorId();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        messages.insertSystem(id, chatId, actorId, position, objectMapper.writeValueAsString(system), now);
        MessageView view = views.view(messages.find(id).orElseThrow());
        events.append(position, new Event.MessageNew(view));
        return view;
    }
}
