package app.confab.delivery;

import app.confab.platform.AuthenticatedUser;
import tools.jackson.databind.JsonNode;

/**
 * Handles one kind of client request frame arriving over WebSocket
 * ({@code {"type":"<type>","id":"...","data":{...}}}). Features contribute handlers as beans; the
 * WebSocket edge finds them by {@link #type()} and answers with an {@code ack} carrying the
 * returned object, or an {@code error} frame when the handler throws
 * {@link app.confab.platform.ApiException}.
 */
public interface ClientEventHandler {

    /** The event name, e.g. {@code message:send}. */
    String type();

    /** Does the work; returns the ack's {@code data} object (may be an empty map, never null). */
    Object handle(AuthenticatedUser user, JsonNode data);
}
