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

    /**
     * The container's read buffer, allocated per connection (text and binary): kept small, since
     * frames are handed over in parts of this size and joined by FrameAssembler up to the
     * application's frame limit. 4 KiB covers nearly every client frame (a message:send of a few
     * paragraphs) in one part; at 16 KiB the buffers alone were ~40 KB more per idle connection
     * (a text buffer of N chars is 2N bytes), 400 MB more heap at 10,000 connections.
     */
    static final int CONTAINER_BUFFER_BYTES = 4 * 1024;

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
     * Frames of any size are read in parts (the endpoint refuses those above maxFrameChars with an
     * error frame, so an oversized frame costs neither memory nor the connection). Idle connections
     * are closed by our own heartbeat (ClientSession.tick), not the container.
     */
    @Bean
    static ServletServerContainerFactoryBean webSocketContainer() {
        // Constants, not settings: this factory bean is created before properties can be resolved.
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(CONTAINER_BUFFER_BYTES);
        container.setMaxBinaryMessageBufferSize(CONTAINER_BUFFER_BYTES);
        container.setMaxSessionIdleTimeout(0L);
        container.setAsyncSendTimeout(20_000L);
        return container;
    }
}
