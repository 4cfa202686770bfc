package app.confab.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;

/**
 * One user's real WebSocket to {@code /ws} (java.net.http, callbacks on a small shared pool).
 * Authenticates by {@code Authorization} header or by the first-frame {@code auth} message, waits
 * for {@code ready}, keeps the last stream cursor, and after an unexpected close reconnects with
 * that cursor, as a real client does — so a delivery that comes by catch-up still counts once.
 */
public final class WsConnection implements WebSocket.Listener, MessageLink {

    public enum Auth { HEADER, FRAME }

    private static final String MESSAGE_NEW = "{\"type\":\"message:new\"";

    private final int userIndex;
    private final String token;
    private final HttpClient client;
    private final URI uri;
    private final Auth auth;
    private volatile DeliveryTracker tracker;
    private final ConnectionStats stats;
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private volatile CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile String cursor;
    private volatile boolean closing;
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);

    public WsConnection(int userIndex, String token, HttpClient client, URI uri, Auth auth, DeliveryTracker tracker,
                        ConnectionStats stats) {
        this.userIndex = userIndex;
        this.token = token;
        this.client = client;
        this.uri = uri;
        this.auth = auth;
        this.tracker = tracker;
        this.stats = stats;
    }

    @Override
    public int userIndex() {
        return userIndex;
    }

    /** From now on, deliveries and acks go to this tracker (after a warm-up). */
    public void track(DeliveryTracker next) {
        this.tracker = next;
    }

    /** Connects; the future completes on {@code ready}. */
    public CompletableFuture<Void> connect() {
        return connect(new java.util.concurrent.atomic.AtomicBoolean());
    }

    /** As {@link #connect()}; {@code opened} turns true once the WebSocket handshake succeeded. */
    private CompletableFuture<Void> connect(java.util.concurrent.atomic.AtomicBoolean opened) {
        CompletableFuture<Void> readyNow = new CompletableFuture<>();
        ready = readyNow;
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30));
        boolean header = auth == Auth.HEADER && cursor == null;
        if (header) {
            builder.header("Authorization", "Bearer " + token);
        }
        builder.buildAsync(uri, this).whenComplete((ws, failure) -> {
            if (failure != null) {
                stats.connectFailures.increment();
                readyNow.completeExceptionally(failure);
                return;
            }
            socket = ws;
            opened.set(true);
            if (!header) {
                String cursorField = cursor == null ? "" : ",\"cursor\":\"" + cursor + "\"";
                send("{\"type\":\"auth\",\"data\":{\"token\":\"" + token + "\"" + cursorField + "}}");
            }
        });
        return readyNow.orTimeout(60, TimeUnit.SECONDS);
    }

    /** Sends one text frame after the previous one went out (java.net.http allows one at a time). */
    public void send(String frame) {
        synchronized (this) {
            sendChain = sendChain
                    .handle((ignored, failure) -> null)
                    .thenCompose(ignored -> {
                        WebSocket ws = socket;
                        if (ws == null || ws.isOutputClosed()) {
                            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
                        }
                        return ws.sendText(frame, true);
                    });
            sendChain.whenComplete((ignored, failure) -> {
                if (failure != null) {
                    stats.sendFailures.increment();
                }
            });
        }
    }

    /** Sends a message:send request; the clientMessageId doubles as the request id. */
    public void sendMessage(String chatId, String clientMessageId, String content) {
        send("{\"type\":\"message:send\",\"id\":\"" + clientMessageId + "\",\"data\":{\"chatId\":\"" + chatId
                + "\",\"content\":\"" + content + "\",\"clientMessageId\":\"" + clientMessageId + "\"}}");
    }

    public void close() {
        closing = true;
        WebSocket ws = socket;
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS)
                    .whenComplete((ignored, failure) -> ws.abort());
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (!last || !partial.isEmpty()) {
            partial.append(data);
            if (!last) {
                webSocket.request(1);
                return null;
            }
            data = partial.toString();
            partial.setLength(0);
        }
        try {
            handle(data.toString());
        } catch (RuntimeException e) {
            stats.badFrames.increment();
        }
        webSocket.request(1);
        return null;
    }

    private void handle(String frame) {
        stats.framesIn.increment();
        DeliveryTracker tracker = this.tracker;
        if (frame.startsWith(MESSAGE_NEW)) {
            // Fast path for the frame that arrives by the ten thousand: no tree, two substring scans.
            String id = JsonScan.stringField(frame, "clientMessageId");
            String at = JsonScan.scalarField(frame, "cursor");
            if (at != null) {
                cursor = at;
            }
            if (id != null) {
                if (tracker != null) {
                    // The event's first "id" is its message's (data.id leads the message, docs/PROTOCOL.md).
                    tracker.received(id, userIndex, at, JsonScan.stringField(frame, "id"));
                }
                return;
            }
        }
        JsonNode node = ConfabApi.JSON.readTree(frame);
        String type = node.path("type").asString("");
        String at = node.path("cursor").isValueNode() ? node.path("cursor").asString() : null;
        if (at != null && !at.isEmpty()) {
            cursor = at;
        }
        switch (type) {
            case "ready" -> {
                JsonNode readyCursorNode = node.path("data").path("cursor");
                String readyCursor = readyCursorNode.isValueNode() ? readyCursorNode.asString() : null;
                if (readyCursor != null) {
                    cursor = readyCursor;
                }
                ready.complete(null);
            }
            case "ack" -> {
                if (tracker != null) {
                    tracker.acked(node.path("id").asString());
                }
            }
            case "error" -> {
                String code = node.path("error").path("code").asString(null);
                String id = node.path("id").asString(null);
                if (tracker == null) {
                    stats.errorFrames.increment();
                } else if (id != null) {
                    tracker.failed(id, code);
                } else {
                    tracker.error(code);
                }
                if (!ready.isDone() && id == null) {
                    ready.completeExceptionally(new IllegalStateException("error before ready: " + frame));
                }
            }
            case "message:new" -> {
                if (tracker != null) {
                    String id = messageClientId(node.path("data"));
                    if (id != null) {
                        tracker.received(id, userIndex, at, node.path("data").path("id").asString(null));
                    }
                }
            }
            default -> {
                // typing, presence, receipts, membership: not what the tool measures.
            }
        }
    }

    /** clientMessageId of a message:new event's message (its data, docs/PROTOCOL.md); else from the content. */
    static String messageClientId(JsonNode message) {
        String id = message.path("clientMessageId").asString(null);
        if (id != null) {
            return id;
        }
        String content = message.path("content").asString("");
        return content.startsWith("load ") ? content.substring(5, content.indexOf(' ', 5) < 0 ? content.length() : content.indexOf(' ', 5)) : null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        lost("close " + statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        lost(error.toString());
    }

    private void lost(String why) {
        socket = null;
        if (!ready.isDone()) {
            ready.completeExceptionally(new IllegalStateException(why));
        }
        if (closing) {
            return;
        }
        stats.drops.increment();
        stats.lastDropReason = why;
        reconnect(500);
    }

    /**
     * Resumes from the last cursor, as a client would; by frame, since the cursor travels in it.
     * An attempt that cannot even open the socket (the proxy has no live node for a moment: one
     * node restarting, the other just marked failed) is retried with a doubling delay up to 5 s,
     * as the web client does: a single attempt left a client disconnected for good, and the
     * messages to it counted as lost although the server had them.
     */
    private void reconnect(long delayMillis) {
        CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS).execute(() -> {
            if (closing) {
                return;
            }
            stats.reconnects.increment();
            java.util.concurrent.atomic.AtomicBoolean opened = new java.util.concurrent.atomic.AtomicBoolean();
            connect(opened).exceptionally(failure -> {
                // Once the socket was open, its close or error calls lost(), which tries again.
                if (!opened.get()) {
                    reconnect(Math.min(delayMillis * 2, 5000));
                }
                return null;
            });
        });
    }
}
