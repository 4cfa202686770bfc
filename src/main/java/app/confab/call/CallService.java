package app.confab.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.contact.ContactService;
import app.confab.delivery.LiveEvents;
import app.confab.membership.ChatAccess;
import app.confab.membership.Membership;
import app.confab.message.SystemMessages;
import app.confab.platform.ApiException;
import app.confab.protocol.Event;
import app.confab.protocol.IceCandidate;
import app.confab.protocol.MessageView;

/**
 * The rules of calls (docs/subsystems/calls.md). A call's state lives in the database, every change
 * under the call row's lock, so any node can handle any request about any call and exactly one
 * node ends a ring that timed out. What changes is told to the participants as ephemeral events
 * after commit; the media itself flows browser to browser (WebRTC), never through the server.
 */
@Service
public class CallService {

    static final int MAX_SDP_CHARS = 32_000;
    static final int MAX_CANDIDATE_CHARS = 2_000;
    private static final Logger log = LoggerFactory.getLogger(CallService.class);

    /** The ack of call:invite, call:accept, call:decline, call:hangup. */
    public record CallState(UUID callId, UUID chatId, boolean video, String state, String outcome,
                            Instant ringUntil, List<UUID> participants, List<UUID> joined, UUID messageId) {
    }

    /** What a change did: events to push after commit, and whether it ended the call. */
    private record Change(CallRow call, List<Push> pushes, String endedWith) {
    }

    private record Push(List<UUID> audience, Event.Ephemeral event) {
    }

    private final CallRepository calls;
    private final ChatAccess access;
    private final ContactService contacts;
    private final SystemMessages systemMessages;
    private final LiveEvents live;
    private final CallSettings settings;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private volatile Instant nextLivenessCheck = Instant.EPOCH;

    CallService(CallRepository calls, ChatAccess access, ContactService contacts, SystemMessages systemMessages,
                LiveEvents live, CallSettings settings, TransactionTemplate transaction, Clock clock) {
        this.calls = calls;
        this.access = access;
        this.contacts = contacts;
        this.systemMessages = systemMessages;
        this.live = live;
        this.settings = settings;
        this.transaction = transaction;
        this.clock = clock;
    }

    // ---- requests --------------------------------------------------------------------------------

    public CallState invite(UUID me, UUID chatId, boolean video) {
        if (chatId == null) {
            throw ApiException.validation("chatId", "chatId is required");
        }
        Membership membership = access.requireMember(me, chatId);
        List<UUID> others = access.activeMembers(chatId).stream().filter(member -> !member.equals(me)).toList();
        if (membership.isDirect()) {
            UUID other = membership.otherDirectMember();
            if (other == null || contacts.isBlockedEitherWay(me, other)) {
                throw ApiException.forbidden("You cannot call this user");
            }
            others = List.of(other);
        } else {
            if (others.size() + 1 > settings.maxParticipants()) {
                throw ApiException.validation("chatId", "Group calls are for chats of at most "
                        + settings.maxParticipants() + " members");
            }
            Set<UUID> blocked = contacts.blockedEitherWay(me, others);
            others = others.stream().filter(other -> !blocked.contains(other)).toList();
        }
        if (others.isEmpty()) {
            throw ApiException.validation("chatId", "There is nobody in this chat to call");
        }
        List<UUID> reachable = others.stream().filter(live::isConnected).toList();
        Instant now = clock.instant();
        UUID callId = UUID.randomUUID();
        boolean ringing = !reachable.isEmpty();
        List<UUID> invitees = others;
        Boolean created = transaction.execute(status -> {
            if (!calls.insert(callId, chatId, me, video, "ringing", now, now.plus(settings.ringTimeout()))) {
                return false;
            }
            calls.addParticipant(callId, me, "joined", now);
            for (UUID invitee : invitees) {
                calls.addParticipant(callId, invitee, "ringing", null);
            }
            if (!ringing) {
                calls.end(callId, "unavailable", now);
            }
            return true;
        });
        if (!Boolean.TRUE.equals(created)) {
            throw ApiException.conflict("A call is already in progress in this chat");
        }
        CallRow call = calls.find(callId).orElseThrow();
        if (!ringing) {
            UUID messageId = logEntry(call, "unavailable", 0);
            return state(call, messageId);
        }
        live.push(invitees, new Event.CallInvited(callId, chatId, me, video, call.everyone(), call.ringUntil()));
        return state(call, null);
    }

    public CallState accept(UUID me, UUID callId) {
        return change(me, callId, call -> {
            CallRow.Participant mine = call.participant(me);
            if (call.isEnded()) {
                throw ApiException.conflict("The call has ended");
            }
            if ("joined".equals(mine.state())) {
                throw ApiException.conflict("The call was already answered on another device");
            }
            Instant now = clock.instant();
            calls.setParticipant(callId, me, "joined", now);
            calls.answer(callId, now);
            return new Change(call, List.of(new Push(call.everyone(), new Event.CallAccepted(callId, call.chatId(), me))), null);
        });
    }

    public CallState decline(UUID me, UUID callId) {
        return change(me, callId, call -> {
            if (call.isEnded()) {
                throw ApiException.conflict("The call has ended");
            }
            if (!"ringing".equals(call.participant(me).state())) {
                throw ApiException.conflict("The call is not ringing for you");
            }
            return declined(call, me);
        });
    }

    public CallState hangup(UUID me, UUID callId) {
        return change(me, callId, call -> {
            String mine = call.participant(me).state();
            if (call.isEnded() || !(mine.equals("joined") || mine.equals("ringing"))) {
                // Both ends may hang up at once: the second finds the call over. Nothing to do.
                return new Change(call, List.of(), null);
            }
            if (mine.equals("ringing")) {
                return declined(call, me);
            }
            return left(call, me);
        });
    }

    /** call:offer, call:answer and call:ice: relayed to one other participant who has joined. */
    public Map<String, Object> signal(UUID me, UUID callId, UUID toUserId, String kind, String sdp, IceCandidate candidate) {
        if (callId == null) {
            throw ApiException.validation("callId", "callId is required");
        }
        if (toUserId == null) {
            throw ApiException.validation("toUserId", "toUserId is required");
        }
        if (kind.equals("ice")) {
            if (candidate == null || candidate.candidate() == null || candidate.candidate().length() > MAX_CANDIDATE_CHARS
                    || (candidate.sdpMid() != null && candidate.sdpMid().length() > 100)
                    || (candidate.usernameFragment() != null && candidate.usernameFragment().length() > 256)) {
                throw ApiException.validation("candidate", "Must be an ICE candidate (RTCIceCandidate.toJSON())");
            }
        } else if (sdp == null || sdp.isBlank() || sdp.length() > MAX_SDP_CHARS) {
            throw ApiException.validation("sdp", "Must be a session description of at most " + MAX_SDP_CHARS + " characters");
        }
        CallRow call = visible(me, callId, calls.find(callId).orElse(null));
        if (call.isEnded()) {
            throw ApiException.conflict("The call has ended");
        }
        CallRow.Participant target = call.participant(toUserId);
        if (!"joined".equals(call.participant(me).state()) || toUserId.equals(me) || target == null
                || !"joined".equals(target.state())) {
            throw ApiException.validation("toUserId", "Must be another participant who has joined the call (and so must you)");
        }
        Event.Ephemeral event = switch (kind) {
            case "offer" -> new Event.CallOffered(callId, call.chatId(), me, sdp);
            case "answer" -> new Event.CallAnswered(callId, call.chatId(), me, sdp);
            default -> new Event.CallIceCandidate(callId, call.chatId(), me, candidate);
        };
        live.push(List.of(toUserId), event);
        return Map.of("callId", callId.toString());
    }

    // ---- timers ----------------------------------------------------------------------------------

    /** Rings that timed out end as missed (on whichever node gets the row lock first). */
    @Scheduled(fixedDelay = 1000)
    void expireRings() {
        try {
            Instant now = clock.instant();
            for (UUID callId : calls.ringExpired(now)) {
                apply(callId, call -> {
                    if (call.isEnded() || call.ringUntil().isAfter(clock.instant())) {
                        return new Change(call, List.of(), null);
                    }
                    List<UUID> ringing = call.inState("ringing");
                    ringing.forEach(user -> calls.setParticipant(callId, user, "missed", clock.instant()));
                    if ("ringing".equals(call.state())) {
                        return ending(call, "missed");
                    }
                    // A group call goes on without those who did not answer: their devices stop ringing.
                    List<Push> pushes = ringing.stream()
                            .map(user -> new Push(call.everyone(), new Event.CallDeclined(callId, call.chatId(), user)))
                            .toList();
                    return new Change(call, pushes, null);
                });
            }
        } catch (RuntimeException e) {
            log.warn("Could not expire call rings: {}", e.toString());
        }
    }

    /**
     * A participant whose every connection is gone (browser closed mid-call, network lost) has left:
     * otherwise the call would stay live, and the chat unable to start another, for ever.
     */
    @Scheduled(fixedDelay = 1000)
    void dropDisconnected() {
        Instant now = clock.instant();
        if (now.isBefore(nextLivenessCheck)) {
            return;
        }
        nextLivenessCheck = now.plus(settings.livenessCheck());
        try {
            for (UUID callId : calls.live()) {
                CallRow call = calls.find(callId).orElse(null);
                if (call == null) {
                    continue;
                }
                for (UUID user : call.inState("joined")) {
                    if (!live.isConnected(user)) {
                        apply(callId, locked -> {
                            CallRow.Participant p = locked.participant(user);
                            return locked.isEnded() || !"joined".equals(p.state())
                                    ? new Change(locked, List.of(), null) : left(locked, user);
                        });
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not check call participants: {}", e.toString());
        }
    }

    // ---- the rules of a change -------------------------------------------------------------------

    private Change declined(CallRow call, UUID me) {
        Instant now = clock.instant();
        calls.setParticipant(call.id(), me, "declined", now);
        List<Push> pushes = new ArrayList<>();
        pushes.add(new Push(call.everyone(), new Event.CallDeclined(call.id(), call.chatId(), me)));
        boolean anyoneElse = call.participants().stream()
                .anyMatch(p -> !p.userId().equals(me) && !p.userId().equals(call.callerId()) && p.state().equals("ringing"))
                || call.participants().stream()
                .anyMatch(p -> !p.userId().equals(me) && !p.userId().equals(call.callerId()) && p.state().equals("joined"));
        if (!anyoneElse && "ringing".equals(call.state())) {
            Change end = ending(call, "declined");
            pushes.addAll(end.pushes());
            return new Change(call, pushes, end.endedWith());
        }
        if (!anyoneElse) {
            Change end = ending(call, "ended");
            pushes.addAll(end.pushes());
            return new Change(call, pushes, end.endedWith());
        }
        return new Change(call, pushes, null);
    }

    private Change left(CallRow call, UUID me) {
        calls.setParticipant(call.id(), me, "left", clock.instant());
        long stillIn = call.inState("joined").stream().filter(user -> !user.equals(me)).count();
        if ("ringing".equals(call.state())) {
            // The caller gave up before anyone answered.
            return ending(call, "missed");
        }
        if (stillIn < 2) {
            return ending(call, "ended");
        }
        return new Change(call, List.of(new Push(call.everyone(), new Event.CallHungUp(call.id(), call.chatId(), me))), null);
    }

    /** Ends the call; its call:ended goes out after the log entry is posted (it names the entry). */
    private Change ending(CallRow call, String outcome) {
        calls.end(call.id(), outcome, clock.instant());
        return new Change(call, List.of(), outcome);
    }

    private CallState change(UUID me, UUID callId, Function<CallRow, Change> rule) {
        if (callId == null) {
            throw ApiException.validation("callId", "callId is required");
        }
        return apply(callId, call -> rule.apply(visible(me, callId, call)));
    }

    /** Runs the rule on the locked call, then tells the participants. Returns the call as it now is. */
    private CallState apply(UUID callId, Function<CallRow, Change> rule) {
        Change change = transaction.execute(status -> rule.apply(calls.lock(callId).orElseThrow(() -> ApiException.notFound("Call"))));
        change.pushes().forEach(push -> live.push(push.audience(), push.event()));
        CallRow now = calls.find(callId).orElseThrow();
        UUID messageId = null;
        if (change.endedWith() != null) {
            int duration = now.answeredAt() == null ? 0
                    : (int) Math.max(0, Duration.between(now.answeredAt(), now.endedAt()).toSeconds());
            messageId = logEntry(now, change.endedWith(), duration);
        }
        return state(now, messageId);
    }

    /** The call, if the user takes part in it and is still a member of its chat; else 404 like a made-up id. */
    private CallRow visible(UUID me, UUID callId, CallRow call) {
        if (call == null || call.participant(me) == null || !access.isActiveMember(call.chatId(), me)) {
            throw ApiException.notFound("Call");
        }
        return call;
    }

    /**
     * Writes the call log line (a call_ended system message, docs/subsystems/calls.md) and tells
     * every participant the call is over; call:ended names the line.
     */
    private UUID logEntry(CallRow call, String outcome, int durationSec) {
        UUID messageId = null;
        if (call.callerId() != null) {
            // The caller may have left the chat since: the call still ends, without a line.
            messageId = transaction.execute(status -> systemMessages.callEnded(call.chatId(), call.callerId(),
                            new MessageView.CallOutcome(call.id(), outcome, durationSec, call.video()))
                    .map(line -> {
                        calls.logged(call.id(), line.id());
                        return line.id();
                    })
                    .orElse(null));
            if (messageId == null) {
                log.info("No log entry for call {}: the caller left the chat", call.id());
            }
        }
        live.push(call.everyone(), new Event.CallEnded(call.id(), call.chatId(), outcome, durationSec, call.video(), messageId));
        return messageId;
    }

    private static CallState state(CallRow call, UUID messageId) {
        return new CallState(call.id(), call.chatId(), call.video(), call.state(), call.outcome(), call.ringUntil(),
                call.everyone(), call.inState("joined"), messageId);
    }
}
