package app.confab.delivery;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import app.confab.platform.AccessTokenVerifier;
import app.confab.platform.AccessTokenVerifier.AccessGrant;
import app.confab.platform.RateLimiter;
import app.confab.platform.ApiException;
import app.confab.platform.AuthenticatedUser;
import app.confab.platform.ErrorCode;
import app.confab.platform.ReplicaJdbc;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import app.confab.stream.Cursors;

/**
 * The edge of {@code GET /ws}: opens a {@link ClientSession} per connection (which owns its life:
 * frame assembly, liveness, sending), authenticates it, checks each complete client frame, and hands
 * requests to the {@link ClientEventHandler} bean of their type. Bad frames get an error frame and
 * the connection stays open; only a failed authentication closes it.
 */
@Component
class WebSocketEndpoint extends TextWebSocketHandler {

    static final String SESSION = "confab.session";
    static final String AUTH_REFRESH = "auth:refresh";
    private static final Logger log = LoggerFactory.getLogger(WebSocketEndpoint.class);
    private static final int MAX_ID_LENGTH = 100;

    private final WebSocketSessions sessions;
    private final AccessTokenVerifier tokens;
    private final Frames frames;
    private final Map<String, ClientEventHandler> handlers = new HashMap<>();
    private final ReplicaJdbc replica;
    private final RateLimiter rateLimiter;

    WebSocketEndpoint(WebSocketSessions sessions, AccessTokenVerifier tokens, Frames frames,
                      List<ClientEventHandler> handlerBeans, ReplicaJdbc replica, RateLimiter rateLimiter) {
        this.rateLimiter = rateLimiter;
        this.sessions = sessions;
        this.tokens = tokens;
        this.frames = frames;
        this.replica = replica;
        for (ClientEventHandler handler : handlerBeans) {
            ClientEventHandler previous = handlers.put(handler.type(), handler);
            if (previous != null) {
                throw new IllegalStateException("Two handlers for client event " + handler.type());
            }
        }
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession ws) {
        ClientSession session = sessions.open(ws, rateLimiter.newConnection());
        ws.getAttributes().put(SESSION, session);
        AccessGrant grant = (AccessGrant) ws.getAttributes().get(WebSocketHandshake.USER);
        if (grant != null) {
            Long cursor = (Long) ws.getAttributes().get(WebSocketHandshake.CURSOR);
            session.authenticate(grant.user(), grant.expiresAt(), cursor == null ? -1 : cursor);
        }
    }

    /** Frames arrive in parts, so the container's per-connection buffer stays small (ClientSession joins them). */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    protected void handleTextMessage(WebSocketSession ws, TextMessage message) {
        ClientSession session = session(ws);
        String text = session.received(message.getPayload(), message.isLast());
        if (text == null) {
            return;
        }
        JsonNode frame;
        try {
            frame = frames.parse(text);
        } catch (JacksonException e) {
            session.send(frames.error(null, ErrorCode.VALIDATION_ERROR, "Malformed JSON frame"));
            return;
        }
        if (frame == null || !frame.isObject()) {
            session.send(frames.error(null, ErrorCode.VALIDATION_ERROR, "A frame must be a JSON object"));
            return;
        }
        JsonNode id = frame.get("id");
        JsonNode typeNode = frame.get("type");
        if (typeNode == null || !typeNode.isString() || typeNode.asString().isBlank()) {
            session.send(frames.error(echo(id), ApiException.validation("type", "Must be a non-empty string")));
            return;
        }
        String type = typeNode.asString();
        if ("ping".equals(type)) {
            session.send(frames.pong(echo(id)));
            return;
        }
        if ("auth".equals(type)) {
            authenticate(session, echo(id), frame.get("data"));
            return;
        }
        AuthenticatedUser user = session.user();
        if (user == null) {
            session.send(frames.error(echo(id), ErrorCode.UNAUTHORIZED, "Send an auth frame first"));
            return;
        }
        if (!validId(id)) {
            session.send(frames.error(echo(id), ApiException.validation("id",
                    "Must be a non-empty string of at most " + MAX_ID_LENGTH + " characters")));
            return;
        }
        JsonNode data = frame.get("data");
        if (data == null || data.isNull()) {
            data = JsonNodeFactory.instance.objectNode();
        } else if (!data.isObject()) {
            session.send(frames.error(id, ApiException.validation("data", "Must be an object")));
            return;
        }
        ClientEventHandler handler = handlers.get(type);
        if (handler == null && !AUTH_REFRESH.equals(type)) {
            session.send(frames.error(id, ApiException.validation("type", "Unknown event type: " + abbreviate(type))));
            return;
        }
        // Every request type has a budget, per connection and per user (RequestLimits): over it,
        // nothing is done and the client learns when to try again.
        Duration wait = rateLimiter.tryAcquireRequest(type, user.userId(), session.budgets());
        if (wait != null) {
            session.send(frames.rateLimited(id, type, wait));
            return;
        }
        if (handler == null) {
            refresh(session, user, id, data);
            return;
        }
        session.send(dispatch(handler, user, id, data));
    }

    /**
     * auth:refresh: a new access token of the same user and a live session extends the socket's life
     * to the new token's expiry (and moves it to the token's session). A bad token is an error frame;
     * the socket keeps its old token's life.
     */
    private void refresh(ClientSession session, AuthenticatedUser user, JsonNode id, JsonNode data) {
        JsonNode token = data.get("token");
        if (token == null || !token.isString() || token.asString().isBlank()) {
            session.send(frames.error(id, ApiException.validation("token", "Is required")));
            return;
        }
        AccessGrant grant;
        try {
            grant = tokens.verifyAccess(token.asString());
        } catch (ApiException e) {
            session.send(frames.error(id, ErrorCode.UNAUTHORIZED, e.getMessage()));
            return;
        }
        if (!grant.user().userId().equals(user.userId())) {
            session.send(frames.error(id, ErrorCode.UNAUTHORIZED, "The token is another user's"));
            return;
        }
        session.refreshed(grant.user(), grant.expiresAt());
        session.send(frames.ack(id, Map.of("expiresAt", grant.expiresAt().toString())));
    }

    private String dispatch(ClientEventHandler handler, AuthenticatedUser user, JsonNode id, JsonNode data) {
        MDC.put("userId", user.userId().toString());
        // Read-your-own-writes with a read replica, as RecentWriterFilter does for REST requests.
        replica.noteWrite(user.userId());
        try {
            return frames.ack(id, handler.handle(user, data));
        } catch (ApiException e) {
            if (e.code().status().is5xxServerError()) {
                log.error("{} failed: {}", handler.type(), e.getMessage(), e);
            }
            return frames.error(id, e);
        } catch (DataIntegrityViolationException e) {
            log.info("{}: constraint violation: {}", handler.type(), e.getMostSpecificCause().getMessage());
            return frames.error(id, ErrorCode.CONFLICT, "The change conflicts with existing data");
        } catch (TransientDataAccessException | org.springframework.dao.DataAccessResourceFailureException
                 | org.springframework.transaction.CannotCreateTransactionException
                 | org.springframework.transaction.TransactionSystemException e) {
            // The database is unreachable or failing over; the client retries (sends are idempotent).
            log.warn("{}: database temporarily unavailable", handler.type(), e);
            return frames.error(id, ErrorCode.SERVICE_UNAVAILABLE, "Service temporarily unavailable");
        } catch (RuntimeException e) {
            log.error("{} failed", handler.type(), e);
            return frames.error(id, ErrorCode.INTERNAL_ERROR, "Internal server error");
        } finally {
            MDC.remove("userId");
        }
    }

    private void authenticate(ClientSession session, JsonNode id, JsonNode data) {
        if (session.user() != null) {
            session.send(frames.error(id, ErrorCode.VALIDATION_ERROR, "Already authenticated"));
            return;
        }
        if (data == null || !data.isObject()) {
            session.send(frames.error(id, ApiException.validation("data", "Must be an object with a token")));
            return;
        }
        JsonNode token = data.get("token");
        if (token == null || !token.isString() || token.asString().isBlank()) {
            session.send(frames.error(id, ApiException.validation("token", "Is required")));
            return;
        }
        Long cursor;
        try {
            cursor = Cursors.parse(data.get("cursor"));
        } catch (ApiException e) {
            session.send(frames.error(id, e));
            return;
        }
        AccessGrant grant;
        try {
            grant = tokens.verifyAccess(token.asString());
        } catch (ApiException e) {
            session.closeWith(frames.error(id, ErrorCode.UNAUTHORIZED, e.getMessage()), CloseCodes.UNAUTHORIZED);
            return;
        }
        session.authenticate(grant.user(), grant.expiresAt(), cursor == null ? -1 : cursor);
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession ws, BinaryMessage message) {
        session(ws).receivedBinary(message.isLast());
    }

    @Override
    protected void handlePongMessage(WebSocketSession ws, PongMessage message) {
        session(ws).pong(message.getPayload());
    }

    @Override
    public void handleTransportError(WebSocketSession ws, Throwable exception) {
        log.debug("WebSocket {} transport error: {}", ws.getId(), exception.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession ws, CloseStatus status) {
        app.confab.platform.Metrics.webSocketClosed(status.getCode());
        ClientSession session = (ClientSession) ws.getAttributes().get(SESSION);
        if (session != null) {
            sessions.closed(session);
        }
    }

    private static ClientSession session(WebSocketSession ws) {
        return (ClientSession) ws.getAttributes().get(SESSION);
    }

    private static boolean validId(JsonNode id) {
        if (id == null) {
            return false;
        }
        if (id.isString()) {
            String value = id.asString();
            return !value.isBlank() && value.length() <= MAX_ID_LENGTH;
        }
        return id.isIntegralNumber();
    }

    /** The request id as the client sent it, when it is usable as one (else the error has no id). */
    private static JsonNode echo(JsonNode id) {
        return validId(id) ? id : null;
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "…";
    }
}
