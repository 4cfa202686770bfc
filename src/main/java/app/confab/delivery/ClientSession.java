package app.confab.delivery;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

import app.confab.platform.AuthenticatedUser;
import app.confab.platform.ErrorCode;
import app.confab.platform.RateLimiter;
import app.confab.stream.EventStore;
import app.confab.stream.StreamEvent;

/**
 * One WebSocket connection, its whole life (as Mattermost's {@code web_conn.go}): the frames it
 * receives, joined from the container's parts ({@link FrameAssembler}); its liveness — the auth
 * timeout, the access token's expiry, server pings and the idle close, checked by {@link #tick}; its
 * request budgets; its registration for live events and its presence; and everything it sends.
 * {@link WebSocketEndpoint} only routes the complete frames to handlers, and {@link WebSocketSessions}
 * only keeps the node's list and ticks each session.
 *
 * <p>Everything it sends goes through one bounded queue drained by at most one virtual thread at
 * a time (a WebSocket session must not be written from two threads), so frames leave in the order
 * they were queued and a slow client cannot hold up the dispatcher: when its queue is full it is
 * closed with {@link CloseCodes#RECONNECT} and resumes from its cursor. The drainer is started when
 * frames arrive and ends when the queue is empty, so an idle connection holds no thread (a parked
 * writer per connection was two stack chunks, ~3 KB, on every idle socket, docs/PERFORMANCE.md).
 *
 * <p>Resume without gap or duplicate: when the stream starts, the writer first registers the
 * session (from then on the dispatcher queues every new event for it), then takes a snapshot S of
 * the stream head, sends the user's events in (cursor, S] from the database, sends
 * {@code ready} with cursor S, and then sends queued live events above S only. Anything committed
 * after S was dispatched after registration, so it is in the queue; anything up to S is in the
 * database read. Each session remembers the last position it sent.
 */
final class ClientSession implements Recipient {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    private static final ThreadFactory DRAINERS = Thread.ofVirtual().name("ws-writer").factory();

    private sealed interface Outbound permits Text, Event, StartStream, Ping, Close {
    }

    private record Text(String frame) implements Outbound {
    }

    private record Event(Delivery delivery) implements Outbound {
    }

    private record StartStream(long cursor) implements Outbound {
    }

    private record Ping() implements Outbound {
    }

    private record Close(CloseStatus status) implements Outbound {
    }

    private final WebSocketSession ws;
    private final SessionServices services;
    /** Joins the parts of the frame being received (container threads, one at a time). */
    private final FrameAssembler parts;
    private final RateLimiter.ConnectionBudgets budgets;
    private final LinkedBlockingQueue<Outbound> queue;
    private final Instant openedAt;
    private final Object lifecycle = new Object();
    /** True while a drainer runs (or, after the close, forever: nothing is written again). */
    private final AtomicBoolean draining = new AtomicBoolean();
    /** The drainer running now, to interrupt a write blocked on a connection that ended. */
    private volatile Thread drainer;

    private volatile AuthenticatedUser user;
    /** When the access token the socket was opened (or last refreshed) with expires. */
    private volatile Instant expiresAt;
    private volatile Instant lastHeard;
    private volatile Instant lastPinged;
    private volatile boolean closing;
    private boolean registered;
    /** Set under {@code lifecycle}; read by the drainer too, which stops writing once it is set. */
    private volatile boolean ended;
    /** Written by the writer thread only. */
    private long lastSent;
    private boolean streaming;
    /** Receipt-worthy frames written so far, and the count covered by the last ping (writer thread only). */
    private long written;
    private long pinged;

    /** A message:new written to the socket, not yet confirmed by a pong answering a later ping. */
    private record Unconfirmed(long seq, Delivery delivery) {
    }

    private final ConcurrentLinkedQueue<Unconfirmed> unconfirmed = new ConcurrentLinkedQueue<>();

    ClientSession(WebSocketSession ws, SessionServices services, RateLimiter.ConnectionBudgets budgets) {
        this.ws = ws;
        this.services = services;
        this.parts = new FrameAssembler(services.settings().maxFrameChars());
        this.budgets = budgets;
        this.queue = new LinkedBlockingQueue<>(services.settings().outboundQueueLimit());
        this.openedAt = services.clock().instant();
        this.lastHeard = openedAt;
        this.lastPinged = openedAt;
    }

    @Override
    public UUID userId() {
        AuthenticatedUser current = user;
        return current == null ? null : current.userId();
    }

    AuthenticatedUser user() {
        return user;
    }

    String id() {
        return ws.getId();
    }

    /** This connection's request budgets (RequestLimits), besides the user's across connections. */
    RateLimiter.ConnectionBudgets budgets() {
        return budgets;
    }

    boolean isClosing() {
        return closing;
    }

    /** Any frame or pong from the client proves it is alive. */
    private void heard() {
        lastHeard = services.clock().instant();
    }

    /**
     * A part of a text frame arrived. Returns the whole frame once its last part is in, else null;
     * a frame over the limit is answered with an error frame here (and also null): it costs neither
     * memory nor the connection.
     */
    String received(String part, boolean last) {
        heard();
        FrameAssembler.Frame whole = parts.add(part, last);
        if (whole == null) {
            return null;
        }
        if (whole.tooLarge()) {
            int limit = services.settings().maxFrameChars();
            send(services.frames().error(null, ErrorCode.PAYLOAD_TOO_LARGE, "Frame exceeds " + limit + " characters"));
            return null;
        }
        return whole.text();
    }

    /** A part of a binary frame arrived: the protocol has none, so its end is answered with an error. */
    void receivedBinary(boolean last) {
        heard();
        if (last) {
            send(services.frames().error(null, ErrorCode.VALIDATION_ERROR, "Frames are JSON text, not binary"));
        }
    }

    /**
     * The connection's liveness at {@code now} (called four times a second): no auth frame within
     * the auth timeout closes it (4408), so does its access token's expiry (4401); silent for the
     * idle timeout — no frame, no pong — closes it (4001); silent for a ping interval, and not
     * pinged for one, pings it.
     */
    void tick(Instant now) {
        if (closing) {
            return;
        }
        DeliverySettings settings = services.settings();
        if (user == null) {
            if (now.isAfter(openedAt.plus(settings.authTimeout()))) {
                closeWith(services.frames().error(null, ErrorCode.UNAUTHORIZED,
                        "No auth frame within " + settings.authTimeout().toSeconds() + " s"), CloseCodes.AUTH_TIMEOUT);
            }
            return;
        }
        Instant expires = expiresAt;
        if (expires != null && !now.isBefore(expires)) {
            closeWith(null, CloseCodes.TOKEN_EXPIRED);
            return;
        }
        Instant heard = lastHeard;
        if (now.isAfter(heard.plus(settings.idleTimeout()))) {
            closeWith(null, CloseCodes.HEARTBEAT_TIMEOUT);
        } else if (!now.isBefore(heard.plus(settings.pingInterval()))
                && !now.isBefore(lastPinged.plus(settings.pingInterval()))) {
            ping();
        }
    }

    /**
     * A pong. Its payload is the count of receipt-worthy frames written before the ping it answers:
     * those frames reached the client (TCP delivered them before the ping), so only now do they
     * count as delivered. A frame written to a connection that silently died never does.
     */
    void pong(ByteBuffer payload) {
        heard();
        if (payload == null || payload.remaining() != Long.BYTES) {
            return;
        }
        long upTo = payload.getLong(payload.position());
        UUID userId = userId();
        Unconfirmed head;
        while ((head = unconfirmed.peek()) != null && head.seq() <= upTo) {
            if (unconfirmed.remove(head) && userId != null) {
                services.receipts().sent(userId, head.delivery());
            }
        }
    }

    /** The sign-in session (the access token's session claim) this socket belongs to; null before auth. */
    UUID authSessionId() {
        AuthenticatedUser current = user;
        return current == null ? null : current.sessionId();
    }

    /** Marks the session authenticated and starts its stream after {@code cursor} (-1: none). */
    void authenticate(AuthenticatedUser authenticated, Instant tokenExpiresAt, long cursor) {
        this.expiresAt = tokenExpiresAt;
        this.user = authenticated;
        enqueue(new StartStream(cursor));
    }

    /** auth:refresh: the socket now lives until the new token's expiry, in the new token's session. */
    void refreshed(AuthenticatedUser authenticated, Instant tokenExpiresAt) {
        this.user = authenticated;
        this.expiresAt = tokenExpiresAt;
    }

    @Override
    public void deliver(Delivery delivery) {
        enqueue(new Event(delivery));
    }

    void send(String frame) {
        enqueue(new Text(frame));
    }

    private void ping() {
        lastPinged = services.clock().instant();
        enqueue(new Ping());
    }

    /** Sends a last frame (may be null), then closes. Later frames are dropped. */
    void closeWith(String frame, CloseStatus status) {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            if (frame != null) {
                queue.offer(new Text(frame));
            }
            if (!queue.offer(new Close(status))) {
                queue.clear();
                queue.offer(new Close(status));
            }
        }
        drain();
    }

    private void enqueue(Outbound item) {
        if (closing) {
            return;
        }
        if (!queue.offer(item)) {
            services.slowConsumerCloses().increment();
            log.info("Closing slow WebSocket {} of user {}: {} frames queued", ws.getId(), userId(), queue.size());
            synchronized (this) {
                closing = true;
                queue.clear();
                queue.offer(new Close(CloseCodes.RECONNECT));
            }
        }
        drain();
    }

    /** Starts a drainer unless one runs: it writes what is queued, in order, and then ends. */
    private void drain() {
        if (draining.compareAndSet(false, true)) {
            DRAINERS.newThread(this::writeQueued).start();
        }
    }

    /** Called once the connection is gone, from the container. */
    void ended() {
        boolean wasRegistered;
        synchronized (lifecycle) {
            ended = true;
            wasRegistered = registered;
            registered = false;
            if (wasRegistered) {
                services.registry().remove(this);
                services.connections().disconnected(userId());
            }
        }
        closing = true;
        Thread running = drainer;
        if (running != null) {
            running.interrupt();
        }
    }

    private boolean register() {
        synchronized (lifecycle) {
            if (ended) {
                return false;
            }
            services.registry().add(this);
            services.connections().connected(userId());
            registered = true;
            return true;
        }
    }

    private void writeQueued() {
        drainer = Thread.currentThread();
        try {
            while (true) {
                Outbound item;
                while (!ended && (item = queue.poll()) != null) {
                    if (!write(item)) {
                        return; // closed: draining stays set, so no drainer starts again
                    }
                }
                if (ended) {
                    queue.clear();
                    return;
                }
                drainer = null;
                draining.set(false);
                // A frame queued after the last poll, but before the flag was cleared, found a
                // drainer running and started none: take it over, unless a new drainer already did.
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
                drainer = Thread.currentThread();
            }
        } catch (IOException | RuntimeException e) {
            log.debug("WebSocket {} failed while writing: {}", ws.getId(), e.toString());
            closing = true;
            queue.clear();
            try {
                ws.close(CloseStatus.SERVER_ERROR);
            } catch (IOException | RuntimeException ignored) {
                // Already gone.
            }
        }
    }

    /** Writes one queued item; false once the connection is closed. */
    private boolean write(Outbound item) throws IOException {
        switch (item) {
            case Text text -> write(text.frame());
            case Event event -> writeEvent(event.delivery());
            case StartStream start -> startStream(start.cursor());
            case Ping ignored -> writePing();
            case Close close -> {
                ws.close(close.status());
                queue.clear();
                return false;
            }
        }
        return true;
    }

    private void writeEvent(Delivery delivery) throws IOException {
        if (!streaming) {
            return;
        }
        if (delivery.durable()) {
            if (delivery.position() <= lastSent) {
                return;
            }
            write(delivery.frame());
            lastSent = delivery.position();
            written(delivery);
            if (queue.isEmpty()) {
                confirmWritten();
            }
        } else {
            write(delivery.frame());
        }
    }

    private void startStream(long cursor) throws IOException {
        if (!register()) {
            return;
        }
        UUID userId = userId();
        EventStore store = services.store();
        long snapshot = store.currentPosition();
        if (cursor >= 0 && cursor < store.horizon()) {
            // Older than the retained stream: no catch-up can be complete, so none is tried.
            write(services.frames().resync(snapshot));
        } else if (cursor >= 0) {
            int pageSize = services.settings().catchUpPageSize();
            long after = cursor;
            while (after < snapshot) {
                List<StreamEvent> page = store.readForUser(userId, after, snapshot, pageSize);
                if (cursor < store.horizon()) {
                    // Compaction passed the cursor while this page was read: it may have gaps.
                    write(services.frames().resync(snapshot));
                    break;
                }
                for (StreamEvent event : page) {
                    Delivery delivery = services.frames().durable(event);
                    write(delivery.frame());
                    written(delivery);
                    after = event.position();
                }
                if (page.size() < pageSize) {
                    break;
                }
            }
        }
        lastSent = snapshot;
        streaming = true;
        write(services.frames().ready(userId, snapshot));
        confirmWritten();
    }

    /** A message:new frame went out: it counts as delivered once a later ping is answered. */
    private void written(Delivery delivery) {
        if (delivery.messageId() != null) {
            unconfirmed.add(new Unconfirmed(++written, delivery));
        }
    }

    /** Asks the client to confirm what was written (one ping per burst of frames). */
    private void confirmWritten() throws IOException {
        if (written > pinged) {
            writePing();
        }
    }

    private void writePing() throws IOException {
        pinged = written;
        ws.sendMessage(new PingMessage(ByteBuffer.allocate(Long.BYTES).putLong(0, written)));
    }

    private void write(String frame) throws IOException {
        ws.sendMessage(new TextMessage(frame));
    }
}
