package app.confab.delivery;

import org.springframework.web.socket.CloseStatus;

/** The WebSocket close codes of docs/PROTOCOL.md. */
final class CloseCodes {

    private CloseCodes() {
    }

    /** The server dropped the connection (the client read too slowly): reconnect with your cursor. */
    static final CloseStatus RECONNECT = new CloseStatus(4000, "Reconnect and resume from your cursor");
    /** Nothing heard from the client (no frame, no pong) for the idle timeout. */
    static final CloseStatus HEARTBEAT_TIMEOUT = new CloseStatus(4001, "No heartbeat");
    /** The token in the auth frame was missing, invalid or expired. */
    static final CloseStatus UNAUTHORIZED = new CloseStatus(4401, "Unauthorized");
    /** The socket's sign-in session ended (logout, password change, token reuse, deactivation). */
    static final CloseStatus SESSION_ENDED = new CloseStatus(4401, "Session ended");
    /** The access token the socket lives by expired without an auth:refresh. */
    static final CloseStatus TOKEN_EXPIRED = new CloseStatus(4401, "Token expired");
    /** No auth frame within the auth timeout. */
    static final CloseStatus AUTH_TIMEOUT = new CloseStatus(4408, "Authentication timed out");
    /** 1012 "service restart": the node is shutting down; reconnect (to any node) with your cursor. */
    static final CloseStatus SERVICE_RESTART = CloseStatus.SERVICE_RESTARTED;
}
