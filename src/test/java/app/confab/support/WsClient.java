package app.confab.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;

/**
 * A real WebSocket client of {@code /ws} for tests (java.net.http). Every frame the server sends is
 * kept in arrival order; tests take frames out by predicate, so a test can wait for an ack while
 * events keep arriving. Requests get ids {@code r1, r2, ...}.
 */
public class WsClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<JsonNode> inbox = new ArrayList<>();
    /** Every frame ever received, in order, whether taken or not (the protocol contract test checks them all). */
    private final List<JsonNode> received = new ArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final AtomicInteger pings = new AtomicInteger();
    private final AtomicInteger requestIds = new AtomicInteger();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private volatile boolean paused;

    private WsClient() {
    }

    /** ws://host:port/ws from an http base URL, with an optional query string (e.g. "cursor=12"). */
    public static URI uri(String baseUrl, String query) {
        return URI.create(baseUrl.replaceFirst("^http", "ws") + "/ws" + (query == null ? "" : "?" + query));
    }

    /** Connects with an {@code Authorization: Bearer} header; the server starts the stream at once. */
    public static WsClient connectWithHeader(String baseUrl, String token, String cursor) {
        return open(uri(baseUrl, cursor == null ? null : "cursor=" + cursor), Map.of("Authorization", "Bearer " + token));
    }

    /** Connects without credentials (send an auth frame next, or test what happens without one). */
    public static WsClient connect(String baseUrl) {
        return open(uri(baseUrl, null), Map.of());
    }

    /** Connects and authenticates with the first frame, as browsers do. */
    public static WsClient connectWithAuthFrame(String baseUrl, String token, String cursor) {
        WsClient client = connect(baseUrl);
        client.auth(token, cursor);
        return client;
    }

    /** Connects, authenticates and waits for {@code ready}; returns the client. */
    public static WsClient connectReady(String baseUrl, String token, String cursor) {
        WsClient client = connectWithHeader(baseUrl, token, cursor);
        client.awaitType("ready");
        return client;
    }

    public static WsClient open(URI uri, Map<String, String> headers) {
        WsClient client = new WsClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        try {
            client.socket = builder.buildAsync(uri, client.listener()).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                throw new HandshakeRejected(handshake.getResponse().statusCode(), String.valueOf(handshake.getResponse().body()));
            }
            throw new IllegalStateException("Could not connect to " + uri, e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("Could not connect to " + uri, e);
        }
        return client;
    }

    /** The upgrade was answered with an HTTP error instead of 101. */
    public static class HandshakeRejected extends RuntimeException {
        private final int status;

        HandshakeRejected(int status, String body) {
            super("Handshake rejected with " + status + ": " + body);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public void auth(String token, String cursor) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("token", token);
        if (cursor != null) {
            data.put("cursor", cursor);
        }
        send(Map.of("type", "auth", "data", data));
    }

    /** Sends a raw text frame. */
    public synchronized void sendText(String text) {
        try {
            socket.sendText(text, true).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Send failed", e);
        }
    }

    public synchronized void sendBinary(byte[] bytes) {
        try {
            socket.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Send failed", e);
        }
    }

    public void send(Object frame) {
        sendText(Api.json().writeValueAsString(frame));
    }

    /** Sends {@code {"type","id","data"}} without waiting; returns the id. */
    public String sendRequest(String type, Object data) {
        String id = "r" + requestIds.incrementAndGet();
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", type);
        frame.put("id", id);
        frame.put("data", data);
        send(frame);
        return id;
    }

    /** Sends a request and returns its answer: the {@code ack} or {@code error} frame with its id. */
    public JsonNode request(String type, Object data) {
        String id = sendRequest(type, data);
        return awaitReply(id);
    }

    public JsonNode awaitReply(String id) {
        return await(frame -> id.equals(frame.path("id").asString(null))
                && ("ack".equals(frame.path("type").asString()) || "error".equals(frame.path("type").asString())), WAIT);
    }

    /** The next frame of any kind. */
    public JsonNode next() {
        return await(frame -> true, WAIT);
    }

    public JsonNode awaitType(String type) {
        return await(frame -> type.equals(frame.path("type").asString()), WAIT);
    }

    /** The next durable event (a frame with a cursor), skipping nothing: earlier frames stay queued. */
    public JsonNode nextDurable() {
        return await(frame -> frame.has("cursor"), WAIT);
    }

    /** Takes (removes) the first received frame matching, waiting for one up to the timeout. */
    public synchronized JsonNode await(Predicate<JsonNode> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Iterator<JsonNode> it = inbox.iterator(); it.hasNext(); ) {
                JsonNode frame = it.next();
                if (matching.test(frame)) {
                    it.remove();
                    return frame;
                }
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new AssertionError("No matching frame within " + timeout + "; received: " + inbox
                        + (closeCode.isDone() ? "; closed with " + closeCode.getNow(null) : ""));
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Every frame received so far, taken or not, in arrival order. */
    public synchronized List<JsonNode> received() {
        return List.copyOf(received);
    }

    /** Frames received and not yet taken. */
    public synchronized List<JsonNode> pending() {
        return List.copyOf(inbox);
    }

    /** The close code the server sent (waits for the close). */
    public int awaitClose() {
        try {
            return closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Connection was not closed within " + WAIT + "; received: " + pending(), e);
        }
    }

    /** The close code, waiting at most {@code timeout} for the close. */
    public int awaitClose(Duration timeout) {
        try {
            return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("Connection was not closed within " + timeout + "; received: " + pending(), e);
        }
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    /** WebSocket pings received from the server (the client answers them by itself). */
    public int pings() {
        return pings.get();
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // Already closing.
            }
        }
        if (socket != null) {
            socket.abort();
        }
    }

    /** Stops reading from the connection (a client too slow to keep up); frames pile up on the server. */
    public void pause() {
        paused = true;
    }

    /** Reads again. */
    public void resume() {
        paused = false;
        socket.request(1);
    }

    /** Drops the TCP connection without a close handshake (a network failure, a laptop lid). */
    public void abort() {
        socket.abort();
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                synchronized (WsClient.this) {
                    partial.append(data);
                    if (last) {
                        JsonNode frame = Api.json().readTree(partial.toString());
                        inbox.add(frame);
                        received.add(frame);
                        partial.setLength(0);
                        WsClient.this.notifyAll();
                    }
                }
                if (!paused) {
                    webSocket.request(1);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
                pings.incrementAndGet();
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeCode.complete(statusCode);
                synchronized (WsClient.this) {
                    WsClient.this.notifyAll();
                }
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closeCode.complete(-1);
                synchronized (WsClient.this) {
                    WsClient.this.notifyAll();
                }
            }
        };
    }
}
