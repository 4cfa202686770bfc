package app.confab.call;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import app.confab.delivery.ClientEventHandler;
import app.confab.delivery.ClientEvents;
import app.confab.protocol.Request;
import tools.jackson.databind.ObjectMapper;

/** The call requests over WebSocket (docs/PROTOCOL.md, "Calls"): thin wrappers over {@link CallService}. */
@Configuration(proxyBeanMethods = false)
class CallClientEvents extends ClientEvents {

    CallClientEvents(ObjectMapper objectMapper) {
        super(objectMapper);
    }

    @Bean
    ClientEventHandler callInviteHandler(CallService calls) {
        return handler(Request.CallInvite.class,
                (user, invite) -> calls.invite(user.userId(), invite.chatId(), Boolean.TRUE.equals(invite.video())));
    }

    @Bean
    ClientEventHandler callAcceptHandler(CallService calls) {
        return handler(Request.CallAccept.class, (user, accept) -> calls.accept(user.userId(), accept.callId()));
    }

    @Bean
    ClientEventHandler callDeclineHandler(CallService calls) {
        return handler(Request.CallDecline.class, (user, decline) -> calls.decline(user.userId(), decline.callId()));
    }

    @Bean
    ClientEventHandler callHangupHandler(CallService calls) {
        return handler(Request.CallHangup.class, (user, hangup) -> calls.hangup(user.userId(), hangup.callId()));
    }

    @Bean
    ClientEventHandler callOfferHandler(CallService calls) {
        return handler(Request.CallOffer.class,
                (user, offer) -> calls.signal(user.userId(), offer.callId(), offer.toUserId(), "offer", offer.sdp(), null));
    }

    @Bean
    ClientEventHandler callAnswerHandler(CallService calls) {
        return handler(Request.CallAnswer.class,
                (user, answer) -> calls.signal(user.userId(), answer.callId(), answer.toUserId(), "answer", answer.sdp(), null));
    }

    @Bean
    ClientEventHandler callIceHandler(CallService calls) {
        return handler(Request.CallIce.class,
                (user, ice) -> calls.signal(user.userId(), ice.callId(), ice.toUserId(), "ice", null, ice.candidate()));
    }
}
