package app.confab.delivery;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

import app.confab.platform.AccessTokenVerifier;
import app.confab.platform.ApiException;
import app.confab.platform.ErrorCode;
import app.confab.platform.ErrorResponse;
import app.confab.platform.RequestIds;
import tools.jackson.databind.ObjectMapper;
import app.confab.stream.Cursors;

/**
 * Checks the upgrade request of {@code /ws}: an {@code Authorization: Bearer} header, when sent,
 * must hold a valid access token (else 401 before any WebSocket exists); {@code ?cursor=} must be
 * a valid cursor. Without the header the client authenticates with its first frame.
 */
@Component
class WebSocketHandshake implements HandshakeInterceptor {

    static final String USER = "confab.user";
    static final String CURSOR = "confab.cursor";

    private final AccessTokenVerifier tokens;
    private final ObjectMapper objectMapper;

    WebSocketHandshake(AccessTokenVerifier tokens, ObjectMapper objectMapper) {
        this.tokens = tokens;
        this.objectMapper = objectMapper;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) {
        try {
            if (request.getMethod() != HttpMethod.GET) {
                throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "/ws takes GET with a WebSocket upgrade");
            }
            if (!"websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())) {
                throw new ApiException(ErrorCode.VALIDATION_ERROR,
                        "/ws is a WebSocket endpoint: send 'Upgrade: websocket' (or use GET /api/events)");
            }
            String cursor = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst("cursor");
            Long parsed = Cursors.parse(cursor);
            if (parsed != null) {
                attributes.put(CURSOR, parsed);
            }
            String header = request.getHeaders().getFirst("Authorization");
            if (header != null) {
                if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
                    throw ApiException.unauthorized("Authorization must be 'Bearer <accessToken>'");
                }
                attributes.put(USER, tokens.verifyAccess(header.substring(7).trim()));
            }
            return true;
        } catch (ApiException e) {
            reject(request, response, e);
            return false;
        }
    }

    private void reject(ServerHttpRequest request, ServerHttpResponse response, ApiException e) {
        String requestId = request instanceof ServletServerHttpRequest servlet
                ? RequestIds.of(servlet.getServletRequest()) : null;
        ErrorResponse body = ErrorResponse.of(e.code(), e.getMessage(), e.details(), requestId);
        response.setStatusCode(HttpStatus.valueOf(e.code().status().value()));
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        try {
            response.getBody().write(objectMapper.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException ignored) {
            // The client went away; nothing to tell it.
        }
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {
    }

}
