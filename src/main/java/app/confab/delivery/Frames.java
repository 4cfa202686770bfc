package app.confab.delivery;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.annotation.JsonInclude;

import app.confab.platform.ApiException;
import app.confab.platform.ErrorCode;
import app.confab.protocol.Control;
import app.confab.protocol.Event;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import app.confab.stream.StreamEvent;

/**
 * Renders the protocol's frames (docs/PROTOCOL.md; their schema is docs/protocol/events.schema.json).
 * Event payloads are serialised once, when the event is appended or pushed; a durable frame wraps
 * the stored payload text as is, so a live frame and a replayed one are the same.
 */
@Component
class Frames {

    private record AckFrame(String type, JsonNode id, Object data) {
    }

    private record ErrorFrame(String type, JsonNode id, Control.ErrorBody error) {
    }

    private record ReadyFrame(String type, Control.ReadyData data) {
    }

    private record ResyncFrame(String type, Control.ResyncData data) {
    }

    private record PongFrame(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode id) {
    }

    private final ObjectMapper objectMapper;

    Frames(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    /** {@code {"type":"message:new","cursor":"123","data":{...}}}, with the payload stored as is. */
    Delivery durable(StreamEvent event) {
        String frame = "{\"type\":" + objectMapper.writeValueAsString(event.type())
                + ",\"cursor\":\"" + event.position() + "\",\"data\":" + event.payload() + "}";
        StreamEvent.NewMessage message = event.newMessage();
        return new Delivery(event.position(), event.type(), event.chatId(), frame,
                message == null ? null : message.id(), message == null ? null : message.senderId());
    }

    /** Serialises an ephemeral event once, for the bus. */
    EphemeralPush push(List<UUID> audience, Event.Ephemeral event) {
        return new EphemeralPush(event.type(), audience, objectMapper.writeValueAsString(event));
    }

    /** {@code {"type":"typing:start","data":{...}}}: no cursor. */
    Delivery ephemeral(EphemeralPush event) {
        String frame = "{\"type\":" + objectMapper.writeValueAsString(event.type()) + ",\"data\":" + event.payload() + "}";
        return new Delivery(0, event.type(), null, frame, null, null);
    }

    String ack(JsonNode id, Object data) {
        return objectMapper.writeValueAsString(new AckFrame("ack", id, data == null ? objectMapper.createObjectNode() : data));
    }

    String error(JsonNode id, ApiException e) {
        return error(id, e.code(), e.getMessage(), e.details());
    }

    String error(JsonNode id, ErrorCode code, String message) {
        return error(id, code, message, List.of());
    }

    String error(JsonNode id, ErrorCode code, String message, List<ApiException.FieldError> details) {
        return objectMapper.writeValueAsString(new ErrorFrame("error", id,
                new Control.ErrorBody(code, message, details == null ? List.of() : details)));
    }

    /** RATE_LIMIT_EXCEEDED with {@code retryAfterMs}: the request was not carried out. */
    String rateLimited(JsonNode id, String type, java.time.Duration retryAfter) {
        return objectMapper.writeValueAsString(new ErrorFrame("error", id, new Control.ErrorBody(ErrorCode.RATE_LIMIT_EXCEEDED,
                "Too many " + type + " requests; try again later", List.of(), Math.max(1, retryAfter.toMillis()))));
    }

    String ready(UUID userId, long cursor) {
        return objectMapper.writeValueAsString(new ReadyFrame("ready", new Control.ReadyData(userId, Long.toString(cursor))));
    }

    /** {@code {"type":"resync","data":{"cursor":"123"}}}: the cursor was older than the retained stream. */
    String resync(long cursor) {
        return objectMapper.writeValueAsString(new ResyncFrame("resync", new Control.ResyncData(Long.toString(cursor))));
    }

    /** The resync frame as a long-poll event. */
    Delivery resyncDelivery(long cursor) {
        return new Delivery(0, "resync", null, resync(cursor), null, null);
    }

    String pong(JsonNode id) {
        return objectMapper.writeValueAsString(new PongFrame("pong", id == null || id.isMissingNode() || id.isNull() ? null : id));
    }

    JsonNode parse(String json) {
        return objectMapper.readTree(json);
    }
}
