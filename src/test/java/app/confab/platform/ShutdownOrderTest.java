package app.confab.platform;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import app.confab.ConfabApplication;
import app.confab.support.Api;
import app.confab.support.ServerNode;
import app.confab.support.TestDatabase;
import app.confab.support.Users;
import app.confab.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM in the default single-node mode (embedded PostgreSQL) stops things in order (issue 14):
 * readiness turns 503, then the drain — an upload and a message send that are in flight when the
 * signal arrives still finish with 201, open WebSockets close with 1012 and a waiting long-poll
 * answers — and only then does the embedded PostgreSQL stop. The server runs in its own JVM, as
 * production does, so the signal really goes through the JVM's shutdown hooks.
 */
class ShutdownOrderTest {

    private Process server;

    @AfterEach
    void killServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void inFlightRequestsFinishBeforeTheEmbeddedDatabaseStops() throws Exception {
        Path dataDir = TestDatabase.newDataDir();
        Path log = dataDir.resolve("server.log");
        int port = freePort();
        server = startServer(dataDir, port, log);
        Api api = new Api("http://127.0.0.1:" + port);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(server.isAlive()).as("server exited; see " + log).isTrue();
            return ready(api) == 200;
        });

        Users users = new Users(api);
        Users.TestUser alice = users.register("stop_alice");
        Users.TestUser bob = users.register("stop_bob");
        String chat = api.post("/api/chats/direct", alice.token(), Map.of("userId", bob.id())).body()
                .path("chat").path("id").asString();
        String cursor = api.get("/api/events", bob.token()).body().path("cursor").asString();

        WsClient socket = WsClient.connectReady(api.baseUrl(), bob.token(), null);
        CompletableFuture<Api.Response> longPoll = CompletableFuture.supplyAsync(
                () -> api.get("/api/events?cursor=" + cursor + "&timeout=25", alice.token()));

        // Two requests whose bodies are half sent when the signal arrives.
        String clientMessageId = UUID.randomUUID().toString();
        byte[] sendBody = Api.json().writeValueAsBytes(Map.of("content", "sent while stopping", "clientMessageId", clientMessageId));
        HalfSentRequest send = HalfSentRequest.start(port, "POST", "/api/chats/" + chat + "/messages", alice.token(),
                "application/json", sendBody);
        String boundary = "confab-" + UUID.randomUUID();
        HalfSentRequest upload = HalfSentRequest.start(port, "POST", "/api/attachments/upload", alice.token(),
                "multipart/form-data; boundary=" + boundary, multipart(boundary, png()));

        server.destroy(); // SIGTERM
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> ready(api) == 503);

        HttpAnswer sent = send.finish();
        HttpAnswer uploaded = upload.finish();
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        assertThat(socket.awaitClose()).isEqualTo(1012);
        Api.Response answered = longPoll.get(60, TimeUnit.SECONDS);
        assertThat(answered.status()).as(answered.text()).isIn(200, 503);

        assertThat(server.waitFor(90, TimeUnit.SECONDS)).as("the server exits after SIGTERM").isTrue();
        List<String> lines = Files.readAllLines(log);
        int draining = indexOf(lines, "Draining: readiness is now 503");
        int databaseStopped = indexOf(lines, "Embedded PostgreSQL stopped");
        assertThat(draining).as("drain logged").isNotNegative();
        assertThat(databaseStopped).as("the embedded database stopped after the drain").isGreaterThan(draining);

        // Both writes were committed: a server on the same data directory has them.
        String messageId = Api.json().readTree(sent.body()).path("message").path("id").asString();
        String attachmentId = Api.json().readTree(uploaded.body()).path("attachments").get(0).path("id").asString();
        try (ServerNode restarted = ServerNode.start("", null, dataDir, Map.of())) {
            Api.Response message = restarted.api().get("/api/messages/" + messageId, bob.token());
            assertThat(message.status()).as(message.text()).isEqualTo(200);
            assertThat(message.body().path("message").path("content").asString()).isEqualTo("sent while stopping");
            Api.Response attachment = restarted.api().get("/api/attachments/" + attachmentId + "/thumbnail", alice.token());
            assertThat(attachment.status()).isEqualTo(200);
        }
    }

    private static Process startServer(Path dataDir, int port, Path log) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classpath, ConfabApplication.class.getName(),
                "--server.port=" + port,
                "--confab.data-dir=" + dataDir,
                "--confab.database-url=",
                "--confab.redis-url=",
                "--confab.drain-delay=2s",
                "--confab.rate-limit.api-per-minute=1000000"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("DATABASE_URL");
        builder.environment().remove("REDIS_URL");
        return builder.start();
    }

    private static int ready(Api api) {
        try {
            return api.get("/health/ready", null).status();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] multipart(String boundary, byte[] png) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"images\"; filename=\"p.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(png);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static byte[] png() throws IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(640, 480, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                image.setRGB(x, y, (x * 7 + y * 13) & 0xffffff);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    record HttpAnswer(int status, String body) {
    }

    /** An HTTP/1.1 request over a plain socket: headers and half the body now, the rest on {@link #finish}. */
    private record HalfSentRequest(Socket socket, byte[] rest) {

        static HalfSentRequest start(int port, String method, String path, String token, String contentType, byte[] body)
                throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(60_000);
            int half = body.length / 2;
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Authorization: Bearer " + token + "\r\nContent-Type: " + contentType + "\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, half);
            out.flush();
            byte[] rest = new byte[body.length - half];
            System.arraycopy(body, half, rest, 0, rest.length);
            return new HalfSentRequest(socket, rest);
        }

        HttpAnswer finish() throws IOException {
            try (socket) {
                socket.getOutputStream().write(rest);
                socket.getOutputStream().flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String statusLine = in.readLine();
                assertThat(statusLine).as("an HTTP answer").isNotNull();
                StringBuilder answer = new StringBuilder();
                String line;
                boolean body = false;
                while ((line = in.readLine()) != null) {
                    if (body) {
                        answer.append(line).append('\n');
                    } else if (line.isEmpty()) {
                        body = true;
                    }
                }
                return new HttpAnswer(Integer.parseInt(statusLine.split(" ")[1]), dechunk(answer.toString()));
            }
        }

        /** The JSON of a possibly chunked body: from the first '{' to the last '}'. */
        private static String dechunk(String body) {
            int start = body.indexOf('{');
            int end = body.lastIndexOf('}');
            return start >= 0 && end > start ? body.substring(start, end + 1) : body;
        }
    }
}
