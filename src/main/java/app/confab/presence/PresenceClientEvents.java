package app.confab.presence;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import app.confab.delivery.ClientEventHandler;
import app.confab.platform.AuthenticatedUser;
import tools.jackson.databind.JsonNode;

/** The client events of presence and typing. */
@Configuration(proxyBeanMethods = false)
class PresenceClientEvents {

    @Bean
    ClientEventHandler typingStartHandler(TypingService typing) {
        return handler("typing:start", (user, data) -> typing.start(user.userId(), data));
    }

    @Bean
    ClientEventHandler typingStopHandler(TypingService typing) {
        return handler("typing:stop", (user, data) -> typing.stop(user.userId(), data));
    }

    @Bean
    ClientEventHandler presenceUpdateHandler(PresenceService presence) {
        return handler("presence:update", (user, data) -> {
            JsonNode status = data.get("status");
            return presence.update(user.userId(), status != null && status.isString() ? status.asString() : null);
        });
    }

    private interface Body {
        Object handle(AuthenticatedUser user, JsonNode data);
    }

    private static ClientEventHandler handler(String type, Body body) {
        return new ClientEventHandler() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Object handle(AuthenticatedUser user, JsonNode data) {
                return body.handle(user, data);
            }
        };
    }
}
