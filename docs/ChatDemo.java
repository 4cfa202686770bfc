import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A terminal chat client for Confab, in one file with no dependencies (JDK 21+):
 *
 *   java docs/ChatDemo.java http://localhost:8080 alice
 *   java docs/ChatDemo.java http://localhost:8080 bob --to <alice's user id>
 *
 * It signs in (registering the user on first use), opens the WebSocket /ws, prints what arrives and
 * sends each line you type to the current chat with message:send. When the connection drops it
 * reconnects with its last cursor, so it never misses a message. See docs/chat-demo.md.
 */
public class ChatDemo {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PASSWORD = "DemoPass123!";

    private final String server;
    private final String username;
    private final String password;
    private String token;
    private String userId;
    private volatile String chatId;
    private volatile String cursor;
    private volatile WebSocket socket;
    private final CompletableFuture<Void> firstReady = new CompletableFuture<>();
    private int requests;

    ChatDemo(String server, String username, String password) {
        this.server = server.replaceAll("/$", "");
        this.username = username;
        this.password = password;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.out.println("usage: java docs/ChatDemo.java <server-url> <username> [--password <pw>] [--to <userId>]");
            return;
        }
        String password = PASSWORD;
        String to = null;
        for (int i = 2; i + 1 < args.length; i += 2) {
            if (args[i].equals("--password")) {
                password = args[i + 1];
            } else if (args[i].equals("--to")) {
                to = args[i + 1];
            }
        }
        ChatDemo demo = new ChatDemo(args[0], args[1], password);
        demo.signIn();
        System.out.println("You are " + demo.username + ", user id " + demo.userId);
        if (to != null) {
            demo.openDirectChat(to);
        } else {
            System.out.println("Waiting for someone to write to you (or type /to <userId>).");
        }
        Thread.ofVirtual().start(demo::stayConnected);
        demo.readInput();
    }

    // ---- REST -------------------------------------------------------------------------------------

    private void signIn() throws Exception {
        Map<String, Object> login = post("/api/auth/login", null, Map.of("username", username, "password", password));
        if (login.get("accessToken") == null) {
            login = post("/api/auth/register", null,
                    Map.of("username", username, "password", password, "passwordConfirm", password));
        }
        if (login.get("accessToken") == null) {
            throw new IllegalStateException("Cannot sign in: " + login);
        }
        token = (String) login.get("accessToken");
        userId = (String) ((Map<?, ?>) login.get("user")).get("id");
    }

    private void openDirectChat(String otherUserId) throws Exception {
        Map<String, Object> response = post("/api/chats/direct", token, Map.of("userId", otherUserId));
        Object chat = response.get("chat");
        if (!(chat instanceof Map<?, ?> map)) {
            System.out.println("Could not open a chat: " + response);
            return;
        }
        chatId = (String) map.get("id");
        System.out.println("Chatting in " + chatId + ". Type a message and press Enter.");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> post(String path, String bearer, Map<String, Object> body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Object parsed = response.body().isBlank() ? Map.of() : Json.parse(response.body());
        return parsed instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    // ---- WebSocket --------------------------------------------------------------------------------

    /** Connects, and reconnects with the last cursor whenever the connection ends. */
    private void stayConnected() {
        long backoff = 1000;
        while (true) {
            try {
                signIn(); // a fresh access token for every connection
                CompletableFuture<Void> ended = new CompletableFuture<>();
                socket = HTTP.newWebSocketBuilder()
                        .header("Authorization", "Bearer " + token)
                        .buildAsync(URI.create(server.replaceFirst("^http", "ws") + "/ws"
                                + (cursor == null ? "" : "?cursor=" + cursor)), new Listener(ended))
                        .get(10, TimeUnit.SECONDS);
                backoff = 1000;
                ended.join();
            } catch (Exception e) {
                System.out.println("* cannot connect (" + e.getMessage() + ")");
            }
            System.out.println("* disconnected; reconnecting from cursor " + cursor);
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, 30_000);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final CompletableFuture<Void> ended;
        private final StringBuilder partial = new StringBuilder();

        Listener(CompletableFuture<Void> ended) {
            this.ended = ended;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                handle(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended.complete(null);
        }
    }

    private void handle(String text) {
        Map<?, ?> frame = (Map<?, ?>) Json.parse(text);
        Map<?, ?> data = frame.get("data") instanceof Map<?, ?> map ? map : Map.of();
        if (frame.get("cursor") != null) {
            cursor = (String) frame.get("cursor");
        }
        switch (String.valueOf(frame.get("type"))) {
            case "ready" -> {
                cursor = (String) data.get("cursor");
                System.out.println("* connected (cursor " + cursor + ")");
                firstReady.complete(null);
            }
            case "message:new" -> {
                if (chatId == null) {
                    chatId = (String) data.get("chatId");
                    System.out.println("* now chatting in " + chatId + "; type to answer");
                }
                if (!userId.equals(data.get("senderId"))) {
                    System.out.println("[" + data.get("senderUsername") + "] " + data.get("content"));
                }
            }
            case "typing:start" -> System.out.println("* " + data.get("username") + " is typing...");
            case "user:status" -> System.out.println("* user " + data.get("userId") + " is " + data.get("status"));
            case "message:delivered" -> System.out.println("* delivered");
            case "error" -> System.out.println("! " + ((Map<?, ?>) frame.get("error")).get("message"));
            default -> {
                // acks, typing:stop, receipts and the rest: nothing to show
            }
        }
    }

    private void readInput() throws Exception {
        firstReady.get(60, TimeUnit.SECONDS);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("/to ")) {
                openDirectChat(line.substring(4).trim());
            } else if (line.isBlank()) {
                continue;
            } else if (chatId == null) {
                System.out.println("No chat yet: type /to <userId>, or wait for a message.");
            } else {
                Map<String, Object> frame = new LinkedHashMap<>();
                frame.put("type", "message:send");
                frame.put("id", "r" + (++requests));
                frame.put("data", Map.of("chatId", chatId, "content", line, "clientMessageId", UUID.randomUUID().toString()));
                socket.sendText(Json.write(frame), true).join();
            }
        }
        System.exit(0);
    }

    /** Just enough JSON for this demo: objects, arrays, strings, numbers, true/false/null. */
    static final class Json {
        private final String text;
        private int at;

        private Json(String text) {
            this.text = text;
        }

        static Object parse(String text) {
            Json json = new Json(text);
            Object value = json.value();
            return value;
        }

        static String write(Object value) {
            if (value == null) {
                return "null";
            }
            if (value instanceof String s) {
                StringBuilder out = new StringBuilder("\"");
                for (char c : s.toCharArray()) {
                    switch (c) {
                        case '"' -> out.append("\\\"");
                        case '\\' -> out.append("\\\\");
                        case '\n' -> out.append("\\n");
                        case '\r' -> out.append("\\r");
                        case '\t' -> out.append("\\t");
                        default -> {
                            if (c < 0x20) {
                                out.append(String.format("\\u%04x", (int) c));
                            } else {
                                out.append(c);
                            }
                        }
                    }
                }
                return out.append('"').toString();
            }
            if (value instanceof Map<?, ?> map) {
                List<String> fields = new ArrayList<>();
                map.forEach((k, v) -> fields.add(write(String.valueOf(k)) + ":" + write(v)));
                return "{" + String.join(",", fields) + "}";
            }
            if (value instanceof List<?> list) {
                return "[" + String.join(",", list.stream().map(Json::write).toList()) + "]";
            }
            return value.toString();
        }

        private Object value() {
            skip();
            char c = text.charAt(at);
            if (c == '{') {
                Map<String, Object> map = new LinkedHashMap<>();
                at++;
                skip();
                if (text.charAt(at) == '}') {
                    at++;
                    return map;
                }
                while (true) {
                    skip();
                    String key = string();
                    skip();
                    at++; // :
                    map.put(key, value());
                    skip();
                    if (text.charAt(at++) == '}') {
                        return map;
                    }
                }
            }
            if (c == '[') {
                List<Object> list = new ArrayList<>();
                at++;
                skip();
                if (text.charAt(at) == ']') {
                    at++;
                    return list;
                }
                while (true) {
                    list.add(value());
                    skip();
                    if (text.charAt(at++) == ']') {
                        return list;
                    }
                }
            }
            if (c == '"') {
                return string();
            }
            int start = at;
            while (at < text.length() && ",}] \n\r\t".indexOf(text.charAt(at)) < 0) {
                at++;
            }
            String word = text.substring(start, at);
            return switch (word) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                case "null" -> null;
                default -> Double.parseDouble(word);
            };
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            at++; // opening quote
            while (true) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    char e = text.charAt(at++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                            at += 4;
                        }
                        default -> out.append(e);
                    }
                } else {
                    out.append(c);
                }
            }
        }

        private void skip() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
