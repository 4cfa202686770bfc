package app.confab.delivery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;

import app.confab.platform.ApiException;
import app.confab.platform.ErrorCode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Renders the protocol's frames (docs/PROTOCOL.md). */
@Component
class Frames {

    static final String MESSAGE_NEW = "message:new";

    private final ObjectMapper objectMapper;

    Frames(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    /** {@code {"type":"message:new","cursor":"123","data":{...}}}, with the payload stored as is. */
    Delivery durable(StreamEvent event) {
        String frame = "{\"type\":" + objectMapper.writeValueAsString(event.type())
                + ",\"cursor\":\"" + event.position() + "\",\"data\":" + event.payload() + "}";
        UUID messageId = null;
        UUID senderId = null;
        if (MESSAGE_NEW.equals(event.type())) {
            JsonNode data = parse(event.payload());
            JsonNode message = data.has("message") ? data.path("message") : data;
            messageId = uuid(message.path("id"));
            senderId = uuid(message.path("senderId"));
        }
        return new Delivery(event.position(), event.type(), event.chatId(), frame, messageId, senderId);
    }

    /** {@code {"type":"typing:start","data":{...}}}: no cursor. */
    Delivery ephemeral(EphemeralEvent event) {
        String frame = "{\"type\":" + objectMapper.writeValueAsString(event.type()) + ",\"data\":" + event.payload() + "}";
        return new Delivery(0, event.type(), null, frame, null, null);
    }

    String ack(JsonNode id, Object data) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "ack");
        frame.put("id", id);
        frame.put("data", data == null ? Map.of() : data);
        return objectMapper.writeValueAsString(frame);
    }

    String error(JsonNode id, ApiException e) {
        return error(id, e.code(), e.getMessage(), e.details());
    }

    String error(JsonNode id, ErrorCode code, String message) {
        return error(id, code, message, List.of());
    }

    String error(JsonNode id, ErrorCode code, String message, List<ApiException.FieldError> details) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code.name());
        error.put("message", message);
        if (details != null && !details.isEmpty()) {
            error.put("details", details);
        }
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "error");
        frame.put("id", id);
        frame.put("error", error);
        return objectMapper.writeValueAsString(frame);
    }

    String ready(UUID userId, long cursor) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("userId", userId.toString());
        data.put("cursor", Long.toString(cursor));
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "ready");
        frame.put("data", data);
        return objectMapper.writeValueAsString(frame);
    }

    String pong(JsonNode id) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "pong");
        if (id != null && !id.isNull() && !id.isMissingNode()) {
            frame.put("id", id);
        }
        return objectMapper.writeValueAsString(frame);
    }

    JsonNode parse(String json) {
        return objectMapper.readTree(json);
    }

    String json(Object value) {
        return objectMapper.writeValueAsString(value);
    }

    private static UUID uuid(JsonNode node) {
        if (node == null || !node.isString()) {
            return null;
        }
        try {
            return UUID.fromString(node.asString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
