package app.confab.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import app.confab.support.IntegrationTest;
import app.confab.support.Users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The load tool's client keeps trying after a drop until it is connected again, as the web client
 * does. In the chaos run a restarted node left nginx with no live upstream for a moment; a client
 * whose one reconnect attempt was refused stayed away for good, and the messages sent to it were
 * counted as lost. Here a TCP relay in front of the real server goes away (the socket drops, the
 * first reconnect is refused) and comes back: the client must be there again.
 */
class WsConnectionReconnectTest extends IntegrationTest {

    @Test
    void aClientWhoseReconnectIsRefusedKeepsTryingUntilTheServerIsBack() throws Exception {
        Users.TestUser user = users.register("wr");
        try (Relay relay = new Relay(port)) {
            ConnectionStats stats = new ConnectionStats();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            WsConnection connection = new WsConnection(0, user.token(), http,
                    URI.create("ws://127.0.0.1:" + relay.port() + "/ws"), WsConnection.Auth.FRAME, null, stats);
            try {
                connection.connect().get();
                relay.stop();
                // The drop, then at least one reconnect attempt refused while nothing listens. A
                // client under load writes all the time, and a write on the reset socket fails at
                // once: the test writes too, rather than wait for the reader to notice the reset
                // (a full run once saw nothing within 30 s).
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    connection.send("{\"type\":\"ping\",\"id\":\"p\"}");
                    assertThat(new long[] {stats.drops.sum(), stats.connectFailures.sum(), stats.reconnects.sum()})
                            .as("drops, refused connects, reconnect attempts (last drop: %s)", stats.lastDropReason)
                            .matches(counts -> counts[0] >= 1 && counts[1] >= 1);
                });
                long framesBefore = stats.framesIn.sum();
                relay.start();
                // Back: a fresh "ready" (and what follows it) arrives on a new socket.
                await().atMost(Duration.ofSeconds(30)).until(() -> stats.framesIn.sum() > framesBefore);
                assertThat(stats.reconnects.sum()).isGreaterThanOrEqualTo(2);
            } finally {
                connection.close();
            }
        }
    }

    /** Forwards 127.0.0.1:{@link #port()} to the server; {@link #stop()} closes the port and every relayed socket. */
    private static final class Relay implements AutoCloseable {
        private final int target;
        private final int port;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private volatile ServerSocket server;

        Relay(int target) throws IOException {
            this.target = target;
            try (ServerSocket probe = new ServerSocket(0)) {
                this.port = probe.getLocalPort();
            }
            start();
        }

        int port() {
            return port;
        }

        void start() throws IOException {
            ServerSocket listening = new ServerSocket();
            listening.setReuseAddress(true);
            listening.bind(new InetSocketAddress("127.0.0.1", port));
            server = listening;
            Thread.ofVirtual().start(() -> {
                while (!listening.isClosed()) {
                    try {
                        Socket client = listening.accept();
                        Socket upstream = new Socket("127.0.0.1", target);
                        sockets.add(client);
                        sockets.add(upstream);
                        pipe(client, upstream);
                        pipe(upstream, client);
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        void stop() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                // A reset, as from a node that died: the client's next read or write fails at once.
                if (!socket.isClosed()) {
                    try {
                        socket.setSoLinger(true, 0);
                    } catch (IOException closedMeanwhile) {
                        // its pipe closed it: nothing to reset
                    }
                }
                socket.close();
            }
            sockets.clear();
        }

        private static void pipe(Socket from, Socket to) {
            Thread.ofVirtual().start(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // one side closed: the relay's work for this pair is done
                } finally {
                    try {
                        from.close();
                        to.close();
                    } catch (IOException ignored) {
                        // already closed
                    }
                }
            });
        }

        @Override
        public void close() throws IOException {
            stop();
        }
    }
}
