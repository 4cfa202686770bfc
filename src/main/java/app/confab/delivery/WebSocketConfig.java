package app.confab.delivery;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/** {@code GET /ws} on the API's port. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfig implements WebSocketConfigurer {

    /** Frames up to this size are read (and refused with an error frame when above maxFrameChars). */
    static final int CONTAINER_FRAME_BYTES = 1024 * 1024;

    private final WebSocketEndpoint endpoint;
    private final WebSocketHandshake handshake;

    WebSocketConfig(WebSocketEndpoint endpoint, WebSocketHandshake handshake) {
        this.endpoint = endpoint;
        this.handshake = handshake;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Any origin: the connection is authorized by a bearer token, never by a cookie, so a
        // foreign page gains nothing by opening it.
        registry.addHandler(endpoint, "/ws").addInterceptors(handshake).setAllowedOriginPatterns("*");
    }

    /**
     * The container reads frames up to CONTAINER_FRAME_BYTES; the endpoint refuses those above
     * maxFrameChars with an error frame, so an oversized frame does not cost the connection.
     * Idle connections are closed by our own heartbeat (WebSocketSessions), not the container.
     */
    @Bean
    static ServletServerContainerFactoryBean webSocketContainer() {
        // Constants, not settings: this factory bean is created before properties can be resolved.
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(CONTAINER_FRAME_BYTES);
        container.setMaxBinaryMessageBufferSize(CONTAINER_FRAME_BYTES);
        container.setMaxSessionIdleTimeout(0L);
        container.setAsyncSendTimeout(20_000L);
        return container;
    }
}
