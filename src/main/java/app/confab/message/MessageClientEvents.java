package app.confab.message;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import app.confab.delivery.ClientEventHandler;
import app.confab.platform.ApiException;
import app.confab.platform.AuthenticatedUser;
import app.confab.protocol.Request;
import app.confab.protocol.MessageView;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.InvalidFormatException;

/**
 * The WebSocket client requests that concern messages (docs/PROTOCOL.md, "Client requests"; their
 * data records are {@link Request}): thin wrappers over the same
 * services as the REST endpoints, so both paths share every rule. Each returns the ack's data.
 */
@Configuration(proxyBeanMethods = false)
class MessageClientEvents {

    record Handler(String type, BiFunction<AuthenticatedUser, JsonNode, Object> action) implements ClientEventHandler {
        @Override
        public Object handle(AuthenticatedUser user, JsonNode data) {
            return action.apply(user, data);
        }
    }

    private final ObjectMapper objectMapper;

    MessageClientEvents(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    @Bean
    ClientEventHandler messageSend(MessageService messages) {
        return new Handler(Request.typeOf(Request.MessageSend.class), (user, json) -> {
            Request.MessageSend data = read(json, Request.MessageSend.class);
            MessageService.Sent sent = messages.send(user.userId(), required("chatId", data.chatId()),
                    new MessageService.SendMessageRequest(data.content(), data.contentType(), data.metadata(),
                            data.replyToId(), data.clientMessageId(), data.attachmentIds(), data.threadRootId()));
            return Map.of("message", sent.message());
        });
    }

    @Bean
    ClientEventHandler messageEdit(MessageService messages) {
        return new Handler(Request.typeOf(Request.MessageEdit.class), (user, json) -> {
            Request.MessageEdit data = read(json, Request.MessageEdit.class);
            MessageView edited = messages.edit(user.userId(), required("messageId", data.messageId()),
                    new MessageService.EditMessageRequest(data.content(), data.metadata()));
            return Map.of("message", edited);
        });
    }

    @Bean
    ClientEventHandler messageDelete(MessageService messages) {
        return new Handler(Request.typeOf(Request.MessageDelete.class), (user, json) -> {
            UUID messageId = required("messageId", read(json, Request.MessageDelete.class).messageId());
            messages.delete(user.userId(), messageId);
            return Map.of("messageId", messageId);
        });
    }

    @Bean
    ClientEventHandler messageRead(ReadReceiptService receipts) {
        return new Handler(Request.typeOf(Request.MessageRead.class), (user, json) -> {
            Request.MessageRead data = read(json, Request.MessageRead.class);
            return receipts.markRead(user.userId(), required("chatId", data.chatId()),
                    required("messageId", data.messageId()));
        });
    }

    @Bean
    ClientEventHandler reactionAdd(ReactionService reactions) {
        return new Handler(Request.typeOf(Request.ReactionAdd.class), (user, json) -> {
            Request.ReactionAdd data = read(json, Request.ReactionAdd.class);
            return Map.of("reaction",
                    reactions.add(user.userId(), required("messageId", data.messageId()), data.emoji()).reaction());
        });
    }

    @Bean
    ClientEventHandler reactionRemove(ReactionService reactions) {
        return new Handler(Request.typeOf(Request.ReactionRemove.class), (user, json) -> {
            UUID reactionId = required("reactionId", read(json, Request.ReactionRemove.class).reactionId());
            reactions.remove(user.userId(), reactionId);
            return Map.of("reactionId", reactionId);
        });
    }

    /** Binds a frame's data object, turning binding failures into VALIDATION_ERROR naming the field. */
    private <T> T read(JsonNode data, Class<T> type) {
        if (data == null || data.isNull() || data.isMissingNode()) {
            data = objectMapper.createObjectNode();
        }
        if (!data.isObject()) {
            throw ApiException.validation("data", "Must be an object");
        }
        try {
            return objectMapper.treeToValue(data, type);
        } catch (DatabindException e) {
            String field = e.getPath().isEmpty() || e.getPath().getFirst().getPropertyName() == null
                    ? "data" : e.getPath().getFirst().getPropertyName();
            throw ApiException.validation(field, e instanceof InvalidFormatException ? "Has the wrong format" : "Has the wrong type");
        }
    }

    private static <T> T required(String field, T value) {
        if (value == null) {
            throw ApiException.validation(field, field + " is required");
        }
        return value;
    }
}
