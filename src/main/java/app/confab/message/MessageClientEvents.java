package app.confab.message;

import java.util.Map;
import java.util.UUID;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import app.confab.delivery.ClientEventHandler;
import app.confab.delivery.ClientEvents;
import app.confab.protocol.Request;
import app.confab.protocol.MessageView;
import tools.jackson.databind.ObjectMapper;

/**
 * The WebSocket client requests that concern messages (docs/PROTOCOL.md, "Client requests"; their
 * data records are {@link Request}): thin wrappers over the same
 * services as the REST endpoints, so both paths share every rule. Each returns the ack's data.
 */
@Configuration(proxyBeanMethods = false)
class MessageClientEvents extends ClientEvents {

    MessageClientEvents(ObjectMapper objectMapper) {
        super(objectMapper);
    }

    @Bean
    ClientEventHandler messageSend(MessageService messages) {
        return handler(Request.MessageSend.class, (user, data) -> {
            MessageService.Sent sent = messages.send(user.userId(), required("chatId", data.chatId()),
                    new MessageService.SendMessageRequest(data.content(), data.contentType(), data.metadata(),
                            data.replyToId(), data.clientMessageId(), data.attachmentIds(), data.threadRootId()));
            return Map.of("message", sent.message());
        });
    }

    @Bean
    ClientEventHandler messageEdit(MessageService messages) {
        return handler(Request.MessageEdit.class, (user, data) -> {
            MessageView edited = messages.edit(user.userId(), required("messageId", data.messageId()),
                    new MessageService.EditMessageRequest(data.content(), data.metadata()));
            return Map.of("message", edited);
        });
    }

    @Bean
    ClientEventHandler messageDelete(MessageService messages) {
        return handler(Request.MessageDelete.class, (user, data) -> {
            UUID messageId = required("messageId", data.messageId());
            messages.delete(user.userId(), messageId);
            return Map.of("messageId", messageId);
        });
    }

    @Bean
    ClientEventHandler messageRead(ReadReceiptService receipts) {
        return handler(Request.MessageRead.class, (user, data) -> receipts.markRead(user.userId(),
                required("chatId", data.chatId()), required("messageId", data.messageId())));
    }

    @Bean
    ClientEventHandler reactionAdd(ReactionService reactions) {
        return handler(Request.ReactionAdd.class, (user, data) -> Map.of("reaction",
                reactions.add(user.userId(), required("messageId", data.messageId()), data.emoji()).reaction()));
    }

    @Bean
    ClientEventHandler reactionRemove(ReactionService reactions) {
        return handler(Request.ReactionRemove.class, (user, data) -> {
            UUID reactionId = required("reactionId", data.reactionId());
            reactions.remove(user.userId(), reactionId);
            return Map.of("reactionId", reactionId);
        });
    }
}
