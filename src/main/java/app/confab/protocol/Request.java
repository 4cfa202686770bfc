package app.confab.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * The catalogue of client requests over WebSocket ({@code {"type","id","data"}}): one record per
 * request type of docs/PROTOCOL.md, its components being the fields of {@code data}. Handlers bind
 * {@code data} to these records, and the schema's {@code ClientRequest} is generated from them.
 *
 * <p>Adding a request type: docs/recipes/add-a-websocket-request.md.
 */
public sealed interface Request {

    /** The frame's {@code type}, from the record's {@link EventName}. */
    default String type() {
        return typeOf(getClass());
    }

    static String typeOf(Class<?> requestClass) {
        EventName name = requestClass.getAnnotation(EventName.class);
        if (name == null) {
            throw new IllegalStateException(requestClass.getName() + " has no @EventName");
        }
        return name.value();
    }

    /** Every concrete request record, in declaration order. */
    static List<Class<? extends Request>> catalogue() {
        List<Class<? extends Request>> all = new ArrayList<>();
        for (Class<?> type : Request.class.getPermittedSubclasses()) {
            all.add(type.asSubclass(Request.class));
        }
        return List.copyOf(all);
    }

    /** Requests that need no {@code id} (they may be sent before authentication). */
    static boolean idOptional(Class<?> requestClass) {
        return requestClass == Auth.class || requestClass == Ping.class;
    }

    /** {@code cursor}: where to resume (a decimal string; a JSON number is accepted too). */
    @EventName("auth")
    record Auth(String token, String cursor) implements Request {
    }

    @EventName("ping")
    record Ping() implements Request {
    }

    /**
     * A new access token for the same user and a live session (after a token refresh): the socket
     * then lives until the new token expires, and belongs to the token's session.
     */
    @EventName("auth:refresh")
    record AuthRefresh(String token) implements Request {
    }

    /** {@code threadRootId}: send as a reply in the thread of that main-timeline message. */
    @EventName("message:send")
    record MessageSend(UUID chatId, String content, String contentType, JsonNode metadata, UUID replyToId,
                       String clientMessageId, List<UUID> attachmentIds, UUID threadRootId) implements Request {
    }

    @EventName("message:edit")
    record MessageEdit(UUID messageId, String content, JsonNode metadata) implements Request {
    }

    @EventName("message:delete")
    record MessageDelete(UUID messageId) implements Request {
    }

    @EventName("message:read")
    record MessageRead(UUID chatId, UUID messageId) implements Request {
    }

    @EventName("reaction:add")
    record ReactionAdd(UUID messageId, String emoji) implements Request {
    }

    @EventName("reaction:remove")
    record ReactionRemove(UUID reactionId) implements Request {
    }

    @EventName("typing:start")
    record TypingStart(UUID chatId) implements Request {
    }

    @EventName("typing:stop")
    record TypingStop(UUID chatId) implements Request {
    }

    /** {@code status}: online, away or offline. */
    @EventName("presence:update")
    record PresenceUpdate(String status) implements Request {
    }

    // ---- calls (docs/subsystems/calls.md) --------------------------------------------------------

    /** Rings the chat's other members; {@code video} false (or absent) for a voice call. */
    @EventName("call:invite")
    record CallInvite(UUID chatId, Boolean video) implements Request {
    }

    @EventName("call:accept")
    record CallAccept(UUID callId) implements Request {
    }

    @EventName("call:decline")
    record CallDecline(UUID callId) implements Request {
    }

    /** A WebRTC SDP offer for one other participant of the call. */
    @EventName("call:offer")
    record CallOffer(UUID callId, UUID toUserId, String sdp) implements Request {
    }

    @EventName("call:answer")
    record CallAnswer(UUID callId, UUID toUserId, String sdp) implements Request {
    }

    /** A trickled ICE candidate ({@code RTCIceCandidate.toJSON()}) for one other participant. */
    @EventName("call:ice")
    record CallIce(UUID callId, UUID toUserId, IceCandidate candidate) implements Request {
    }

    @EventName("call:hangup")
    record CallHangup(UUID callId) implements Request {
    }
}
