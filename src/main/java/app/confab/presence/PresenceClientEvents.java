package app.confab.presence;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import app.confab.delivery.ClientEventHandler;
import app.confab.delivery.ClientEvents;
import app.confab.protocol.Request;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The client events of presence and typing. Their data is read as sent: the services check it
 * themselves (TypingService: "Must be a chat id"; PresenceService: "Must be one of ...").
 */
@Configuration(proxyBeanMethods = false)
class PresenceClientEvents extends ClientEvents {

    PresenceClientEvents(ObjectMapper objectMapper) {
        super(objectMapper);
    }

    @Bean
    ClientEventHandler typingStartHandler(TypingService typing) {
        return unboundHandler(Request.TypingStart.class, (user, data) -> typing.start(user.userId(), data));
    }

    @Bean
    ClientEventHandler typingStopHandler(TypingService typing) {
        return unboundHandler(Request.TypingStop.class, (user, data) -> typing.stop(user.userId(), data));
    }

    @Bean
    ClientEventHandler presenceUpdateHandler(PresenceService presence) {
        return unboundHandler(Request.PresenceUpdate.class, (user, data) -> {
            JsonNode status = data.get("status");
            return presence.update(user.userId(), status != null && status.isString() ? status.asString() : null);
        });
    }
}
