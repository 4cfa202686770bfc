package app.confab.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import app.confab.ConfabApplication;
import app.confab.platform.EmbeddedPostgresServer;
import redis.embedded.RedisServer;

/**
 * A whole Confab server started by a test, for tests with several nodes or restarts: several
 * contexts in one JVM on random ports, sharing one database (and one Redis when given).
 */
public final class ServerNode implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final String baseUrl;
    private final Api api;

    private ServerNode(ConfigurableApplicationContext context) {
        this.context = context;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.baseUrl = "http://localhost:" + port;
        this.api = new Api(baseUrl);
    }

    /** Starts a node on a shared database (a jdbc URL), with Redis when redisUrl is not null. */
    public static ServerNode start(String databaseUrl, String redisUrl, Path dataDir, Map<String, String> extra) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("confab.database-url", databaseUrl);
        properties.put("confab.redis-url", redisUrl == null ? "" : redisUrl);
        properties.put("confab.data-dir", dataDir.toString());
        properties.put("confab.rate-limit.api-per-minute", "1000000");
        properties.put("confab.rate-limit.messages-per-second", "100000");
        // The WebSocket request budgets too (tests of the budgets pass confab.request-limits.scale=1).
        properties.put("confab.request-limits.scale", "100000");
        properties.putAll(extra);
        // As command-line arguments: they outrank application.yml (and the environment it reads).
        String[] args = properties.entrySet().stream()
                .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                .toArray(String[]::new);
        SpringApplication application = new SpringApplicationBuilder(ConfabApplication.class).build();
        return new ServerNode(application.run(args));
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Api api() {
        return api;
    }

    public Users users() {
        return new Users(api);
    }

    /** The fixture builder on this node. */
    public World world() {
        return new World(api);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public boolean isRunning() {
        return context.isActive();
    }

    /** Stops the node as an orderly shutdown does (clients are told to go away). */
    @Override
    public void close() {
        if (context.isActive()) {
            context.close();
        }
    }

    /** A database for a group of nodes: a fresh one on DATABASE_URL's server, or an embedded PostgreSQL. */
    public static final class SharedDatabase implements AutoCloseable {
        private final EmbeddedPostgresServer embedded;
        private final String url;
        private final Path dataDir;

        public SharedDatabase() {
            this.dataDir = TestDatabase.newDataDir();
            if (TestDatabase.externalUrl() != null) {
                this.embedded = null;
                this.url = TestDatabase.createExternalDatabase();
            } else {
                this.embedded = EmbeddedPostgresServer.start(dataDir.resolve("shared"));
                // The embedded cluster requires its generated password (scram-sha-256).
                this.url = embedded.jdbcUrl() + "&password=" + embedded.password();
            }
        }

        public String url() {
            return url;
        }

        /** A data directory for a node (files; the database is the shared one). */
        public Path dataDir() {
            return dataDir;
        }

        @Override
        public void close() throws IOException {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** A real Redis server (embedded-redis) on a free port. */
    public static final class TestRedis implements AutoCloseable {
        private final int port;
        private final List<RedisServer> started = new ArrayList<>();

        public TestRedis() {
            this.port = freePort();
            start();
        }

        public String url() {
            return "redis://127.0.0.1:" + port;
        }

        public void start() {
            try {
                RedisServer server = RedisServer.newRedisServer()
                        .port(port)
                        .setting("bind 127.0.0.1")
                        .setting("save \"\"")
                        .setting("appendonly no")
                        .build();
                server.start();
                started.add(server);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public void stop() {
            for (RedisServer server : started) {
                try {
                    if (server.isActive()) {
                        server.stop();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public void close() {
            stop();
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
