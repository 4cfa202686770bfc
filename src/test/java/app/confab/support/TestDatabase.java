package app.confab.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.test.context.DynamicPropertyRegistry;

import app.confab.platform.DatabaseUrl;

/**
 * Where a test context keeps its data. With DATABASE_URL set (an external PostgreSQL), each
 * context gets a fresh database on that server; otherwise the embedded PostgreSQL runs in a fresh
 * temporary data directory — the same code path as {@code ./mvnw spring-boot:run}.
 */
public final class TestDatabase {

    private TestDatabase() {
    }

    private static String sharedExternal;
    private static Path sharedDataDir;

    /** One database per test JVM for the shared context (contexts are cached across classes). */
    public static synchronized String sharedExternalDatabase() {
        if (sharedExternal == null) {
            sharedExternal = createExternalDatabase();
        }
        return sharedExternal;
    }

    public static synchronized Path sharedDataDir() {
        if (sharedDataDir == null) {
            sharedDataDir = newDataDir();
        }
        return sharedDataDir;
    }

    public static String externalUrl() {
        String url = System.getenv("DATABASE_URL");
        return url == null || url.isBlank() ? null : url;
    }

    /** A new empty database on the external server, as a jdbc URL with credentials. */
    public static String createExternalDatabase() {
        DatabaseUrl server = DatabaseUrl.parse(externalUrl());
        String name = "confab_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (Exception e) {
            throw new IllegalStateException("Could not create test database on " + server.jdbcUrl(), e);
        }
        String base = server.jdbcUrl();
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        int query = base.indexOf('?');
        String jdbc = base.substring(0, slash + 1) + name + (query >= 0 ? base.substring(query) : "");
        StringBuilder withCredentials = new StringBuilder(jdbc);
        if (server.username() != null) {
            withCredentials.append(jdbc.contains("?") ? '&' : '?').append("user=").append(server.username());
            if (server.password() != null) {
                withCredentials.append("&password=").append(server.password());
            }
        }
        return withCredentials.toString();
    }

    /**
     * For a test class with a Spring context of its own (its own properties, so not the shared
     * cached one): a database of its own too, since an embedded cluster serves one context. With
     * DATABASE_URL a fresh database on that server, else the embedded PostgreSQL in a fresh data
     * directory; no Redis. Call it from the class's {@code @DynamicPropertySource} method. Each is
     * made once, on first read: Spring asks a dynamic property's supplier on every lookup.
     */
    public static void ownDatabase(DynamicPropertyRegistry registry) {
        if (externalUrl() != null) {
            registry.add("confab.database-url", once(TestDatabase::createExternalDatabase));
        } else {
            Supplier<Path> dataDir = once(TestDatabase::newDataDir);
            registry.add("confab.database-url", () -> "");
            registry.add("confab.data-dir", () -> dataDir.get().toString());
        }
        registry.add("confab.redis-url", () -> "");
    }

    private static <T> Supplier<T> once(Supplier<T> make) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = make.get();
                }
                return value;
            }
        };
    }

    public static Path newDataDir() {
        try {
            return Files.createTempDirectory("confab-test-data");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
