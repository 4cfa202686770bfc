package app.confab.delivery;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
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
     * application's frame limit. At 16 KiB the buffers alone were ~40 KB more per idle connection
     * (a text buffer of N chars is 2N bytes), 400 MB more heap at 10,000 connections; at 4 KiB
     * still 12 KB. 1 KiB holds a typical client frame (a short message:send) in one part; a longer
     * one costs a few more parts to join, which is cheap next to 9 KB on every idle connection.
     */
    static final int CONTAINER_BUFFER_BYTES = 1024;

    /**
     * Tomcat's WebSocket I/O buffers, three per connection (the frame reader's input, the writer's
     * output and its UTF-8 encoder), 8 KiB each by default: 24 KB of every idle connection's heap
     * (class histogram, docs/PERFORMANCE.md "Memory per idle connection"). At 2 KiB a frame is still
     * read in parts and joined (FrameAssembler); an outgoing frame above 2 KiB of UTF-8 leaves as
     * continuation fragments, which every WebSocket client joins.
     */
    static final int TOMCAT_WEBSOCKET_BUFFER_BYTES = 2 * 1024;

    /**
     * The connection's socket read and write buffers (Tomcat's appReadBufSize/appWriteBufSize, 8 KiB
     * each by default), kept for the whole life of an upgraded connection. HTTP request headers have
     * their own buffer (max-http-request-header-size), so these only bound how much one read or
     * write moves; a write larger than the buffer goes to the socket directly. At 2 KiB an idle
     * connection holds 4 KB instead of 16 (docs/PERFORMANCE.md, "Memory per idle connection"); an
     * upload is read in more, smaller reads.
     */
    static final int SOCKET_BUFFER_BYTES = 2 * 1024;

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
    /**
     * Applied to the Tomcat factory before the server (and with it Tomcat's WebSocket classes,
     * which read the buffer size once, statically) starts. An operator's own
     * {@code -Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE} wins.
     */
    @Bean
    static WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallConnectionBuffers() {
        return factory -> {
            if (System.getProperty(TOMCAT_WEBSOCKET_BUFFER_PROPERTY) == null) {
                System.setProperty(TOMCAT_WEBSOCKET_BUFFER_PROPERTY, Integer.toString(TOMCAT_WEBSOCKET_BUFFER_BYTES));
            }
            factory.addConnectorCustomizers(connector -> {
                connector.setProperty("socket.appReadBufSize", Integer.toString(SOCKET_BUFFER_BYTES));
                connector.setProperty("socket.appWriteBufSize", Integer.toString(SOCKET_BUFFER_BYTES));
            });
        };
    }

    static final String TOMCAT_WEBSOCKET_BUFFER_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

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
