package app.confab.delivery;

import java.util.UUID;

/**
 * Told when a user's connections (sockets, waiting long-polls) open and close on this node, and
 * asked whether a user has one anywhere. Presence implements it (app.confab.presence.PresenceService):
 * the transport counts nothing itself, and so never depends on presence.
 */
public interface ConnectionTracker {

    /** A connection of the user opened on this node (called on the connection's thread: must not block). */
    void connected(UUID userId);

    /** A connection of the user closed on this node (must not block). */
    void disconnected(UUID userId);

    /** Whether a connection of the user is open on this or another node (yes when that cannot be told). */
    boolean isConnected(UUID userId);
}
