package app.confab.load;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** What every scenario shares: the options, the server's API, the WebSocket clients, the output place. */
public final class LoadContext implements AutoCloseable {

    private final Options options;
    private final ConfabApi api;
    private final Path outDir;
    private final String prefix;
    private final List<HttpClient> wsClients = new ArrayList<>();
    private final ExecutorService callbacks;
    private final ConnectionStats connectionStats = new ConnectionStats();
    private Population population;

    public LoadContext(Options options) {
        this.options = options;
        this.api = new ConfabApi(options.string("url", "http://localhost:8080"));
        this.outDir = Path.of(options.string("out", "target/load"));
        this.prefix = options.string("prefix", "lt");
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "ws-callback-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        // Listener callbacks never block, so a few platform threads carry every connection.
        this.callbacks = Executors.newFixedThreadPool(options.integer("io-threads", 4), factory);
        int sources = options.integer("source-addresses", 1);
        int clients = Math.max(sources, options.integer("http-clients", 2));
        for (int i = 0; i < clients; i++) {
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(30))
                    .executor(callbacks);
            if (sources > 1) {
                // Each 127.0.0.x source address has its own ~28,000 ephemeral ports towards one server port.
                builder.localAddress(loopback(1 + i % sources));
            }
            wsClients.add(builder.build());
        }
    }

    public Options options() {
        return options;
    }

    public ConfabApi api() {
        return api;
    }

    public Path outDir() {
        return outDir;
    }

    public String prefix() {
        return prefix;
    }

    public String dbUrl() {
        return options.string("db-url", null);
    }

    public ConnectionStats connectionStats() {
        return connectionStats;
    }

    public synchronized Population population() {
        if (population == null) {
            population = new Population(this);
        }
        return population;
    }

    /** A JDBC connection to the server's database (--db-url: postgresql://user@host:port/db or jdbc:...). */
    public Connection database() throws SQLException {
        String url = dbUrl();
        if (url == null) {
            throw new IllegalStateException("This needs --db-url (the server's database)");
        }
        if (url.startsWith("jdbc:")) {
            return DriverManager.getConnection(url);
        }
        URI uri = URI.create(url);
        String user = null;
        String password = null;
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            user = parts[0];
            password = parts.length > 1 ? parts[1] : null;
        }
        String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + uri.getPath();
        return DriverManager.getConnection(jdbc, user, password);
    }

    /** Opens one connection per user (spread over the WebSocket clients); returns those that became ready. */
    public List<WsConnection> connect(List<Population.User> users, DeliveryTracker tracker) {
        List<WsConnection> connections = new ArrayList<>(users.size());
        List<CompletableFuture<Void>> readies = new ArrayList<>(users.size());
        WsConnection.Auth auth = WsConnection.Auth.valueOf(options.string("auth", "header").toUpperCase());
        URI ws = URI.create(api.baseUrl().replaceFirst("^http", "ws") + "/ws");
        Semaphore inFlight = new Semaphore(options.integer("connect-concurrency", 100));
        long started = System.nanoTime();
        for (Population.User user : users) {
            WsConnection connection = new WsConnection(user.index(), user.accessToken(),
                    wsClients.get(connections.size() % wsClients.size()), ws, auth, tracker, connectionStats);
            connections.add(connection);
            inFlight.acquireUninterruptibly();
            readies.add(connection.connect().whenComplete((ignored, failure) -> inFlight.release()));
        }
        int failed = 0;
        List<WsConnection> ready = new ArrayList<>(connections.size());
        for (int i = 0; i < readies.size(); i++) {
            try {
                readies.get(i).join();
                ready.add(connections.get(i));
            } catch (RuntimeException e) {
                connections.get(i).close();
                if (failed++ == 0) {
                    System.out.println("connect failed: " + e.getCause());
                }
            }
        }
        System.out.printf("connections: %d ready, %d failed in %.1f s%n", users.size() - failed, failed,
                (System.nanoTime() - started) / 1e9);
        if (failed > 0 && !options.flag("allow-connect-failures")) {
            throw new IllegalStateException(failed + " connections failed; see above");
        }
        return ready;
    }

    public List<HttpClient> wsClients() {
        return wsClients;
    }

    private static InetAddress loopback(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (HttpClient client : wsClients) {
            client.shutdownNow();
        }
        callbacks.shutdownNow();
        api.close();
    }
}
