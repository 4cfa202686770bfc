package app.confab.platform;

/**
 * Told when this node starts to stop, before the web server stops accepting connections and
 * waits for in-flight requests. Implementations hand their long-lived clients to another node:
 * WebSocket sessions are closed with 1012 ("service restart") so clients reconnect — through the
 * load balancer, to a node that is not stopping — and resume from their cursor; waiting long-polls
 * answer at once. Must return quickly and must not throw.
 */
public interface DrainListener {

    void drain();
}
