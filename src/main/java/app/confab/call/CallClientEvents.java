package app.confab.call;

import java.util.function.BiFunction;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import app.confab.delivery.ClientEventHandler;
import app.confab.platform.ApiException;
import app.confab.platform.AuthenticatedUser;
import app.confab.protocol.Request;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.InvalidFormatException;

/** The call requests over WebSocket (docs/PROTOCOL.md, "Calls"): thin wrappers over {@link CallService}. */
@Configuration(proxyBeanMethods = false)
class CallClientEvents {

    record Handler(String type, BiFunction<AuthenticatedUser, JsonNode, Object> action) implements ClientEventHandler {
        @Override
        public Object handle(AuthenticatedUser user, JsonNode data) {
            return action.apply(user, data);
        }
    }

    private final ObjectMapper objectMapper;

    CallClientEvents(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    @Bean
    ClientEventHandler callInviteHandler(CallService calls) {
        return handler(Request.CallInvite.class, (user, data) -> {
            Request.CallInvite invite = read(data, Request.CallInvite.class);
            return calls.invite(user.userId(), invite.chatId(), Boolean.TRUE.equals(invite.video()));
        });
    }

    @Bean
    ClientEventHandler callAcceptHandler(CallService calls) {
        return handler(Request.CallAccept.class, (user, data) -> calls.accept(user.userId(), read(data, Request.CallAccept.class).callId()));
    }

    @Bean
    ClientEventHandler callDeclineHandler(CallService calls) {
        return handler(Request.CallDecline.class, (user, data) -> calls.decline(user.userId(), read(data, Request.CallDecline.class).callId()));
    }

    @Bean
    ClientEventHandler callHangupHandler(CallService calls) {
        return handler(Request.CallHangup.class, (user, data) -> calls.hangup(user.userId(), read(data, Request.CallHangup.class).callId()));
    }

    @Bean
    ClientEventHandler callOfferHandler(CallService calls) {
        return handler(Request.CallOffer.class, (user, data) -> {
            Request.CallOffer offer = read(data, Request.CallOffer.class);
            return calls.signal(user.userId(), offer.callId(), offer.toUserId(), "offer", offer.sdp(), null);
        });
    }

    @Bean
    ClientEventHandler callAnswerHandler(CallService calls) {
        return handler(Request.CallAnswer.class, (user, data) -> {
            Request.CallAnswer answer = read(data, Request.CallAnswer.class);
            return calls.signal(user.userId(), answer.callId(), answer.toUserId(), "answer", answer.sdp(), null);
        });
    }

    @Bean
    ClientEventHandler callIceHandler(CallService calls) {
        return handler(Request.CallIce.class, (user, data) -> {
            Request.CallIce ice = read(data, Request.CallIce.class);
            return calls.signal(user.userId(), ice.callId(), ice.toUserId(), "ice", null, ice.candidate());
        });
    }

    private static Handler handler(Class<? extends Request> type, BiFunction<AuthenticatedUser, JsonNode, Object> action) {
        return new Handler(Request.typeOf(type), action);
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
}
