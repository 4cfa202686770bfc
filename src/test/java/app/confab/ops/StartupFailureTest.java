package app.confab.ops;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import app.confab.platform.DatabaseUrl;
import app.confab.support.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each bad setting, as an operator makes it, in a real server process (its own JVM, the real
 * environment variables): the start ends with a non-zero exit and one line naming the variable and
 * the problem, followed by an example of a right value — no bean chain, no stack trace. The six
 * server processes are independent (own data directory, port 0 or their own), so they start three
 * at a time: most of each start is waiting for a core or for the failure, not work. The longest
 * (a port in use: it migrates a fresh database first) starts first, so the others run beside it
 * instead of after it.
 */
@Execution(ExecutionMode.CONCURRENT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StartupFailureTest {

    /** A PostgreSQL server that answers: DATABASE_URL's, or an embedded one for this class. */
    private static EmbeddedPostgres embedded;
    private static String serverHostPort;
    private static String serverUser;

    @BeforeAll
    static void startServer() throws IOException {
        if (TestDatabase.externalUrl() != null) {
            String jdbc = DatabaseUrl.parse(TestDatabase.externalUrl()).jdbcUrl();
            serverHostPort = jdbc.substring("jdbc:postgresql://".length(), jdbc.indexOf('/', "jdbc:postgresql://".length()));
            serverUser = DatabaseUrl.parse(TestDatabase.externalUrl()).username();
        } else {
            embedded = EmbeddedPostgres.builder().start();
            serverHostPort = "127.0.0.1:" + embedded.getPort();
            serverUser = "postgres";
        }
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }

    @Test
    void aPortWhereNothingListens() throws Exception {
        int closed = freePort();
        assertOneClearLine(Map.of("DATABASE_URL", "postgresql://confab:secret@127.0.0.1:" + closed + "/confab"),
                "Invalid setting DATABASE_URL: cannot connect to the database: Connection to 127.0.0.1:" + closed + " refused",
                "Check the host and port in DATABASE_URL");
    }

    @Test
    void aRoleTheServerDoesNotKnow() throws Exception {
        assertOneClearLine(Map.of("DATABASE_URL", "postgresql://no_such_role_" + System.nanoTime() % 1000 + "@" + serverHostPort + "/postgres"),
                "Invalid setting DATABASE_URL: the database refused the credentials: role \"no_such_role_",
                "Put an existing role and its password in DATABASE_URL");
    }

    @Test
    void aMysqlUrl() throws Exception {
        assertOneClearLine(Map.of("DATABASE_URL", "mysql://confab:secret@db:3306/confab"),
                "Invalid setting DATABASE_URL: scheme \"mysql://\" is not supported; Confab needs PostgreSQL (postgresql://)",
                "for example postgresql://");
    }

    @Test
    void aGarbledRedisUrl() throws Exception {
        assertOneClearLine(Map.of("DATABASE_URL", "postgresql://confab@127.0.0.1:1/never-reached", "REDIS_URL", "localhost:6379"),
                "Invalid setting REDIS_URL: \"localhost:6379\" does not start with redis://, rediss://, redis-socket:// or redis-sentinel://",
                "for example redis://");
    }

    @Test
    void aShortJwtSecret() throws Exception {
        assertOneClearLine(Map.of("DATABASE_URL", "postgresql://confab@127.0.0.1:1/never-reached", "JWT_SECRET", "too-short"),
                "Invalid setting JWT_SECRET: the secret is 9 bytes long; HS256 needs at least 32",
                "openssl rand");
    }

    @Test
    @Order(1)
    void aPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            assertOneClearLine(Map.of("DATABASE_URL", newDatabase(), "PORT", String.valueOf(taken.getLocalPort())),
                    "Invalid setting PORT: port " + taken.getLocalPort() + " is already in use by another process",
                    "set PORT to a free port");
        }
    }

    private static void assertOneClearLine(Map<String, String> environment, String line, String action) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A process that only has to fail: the quick compiler only, one GC thread, and no
                // background warm-up of Jackson, validation and the like (Spring Boot's pre-initializer).
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "-Dspring.backgroundpreinitializer.ignore=true", "-cp", System.getProperty("java.class.path"),
                "app.confab.ConfabApplication"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("DATABASE_") || name.startsWith("REDIS_")
                || name.startsWith("JWT_") || name.equals("PORT"));
        builder.environment().put("LOG_FORMAT", "text");
        builder.environment().put("PORT", "0");
        builder.environment().put("DATA_DIR", TestDatabase.newDataDir().toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        byte[] bytes = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the server gave up").isTrue();
        String output = new String(bytes, StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(output).isNotZero();
        assertThat(output).as(output).contains(line).contains(action).contains("APPLICATION FAILED TO START");
        assertThat(output).as("no stack trace:\n" + output).doesNotContain("\tat ").doesNotContain("Error creating bean");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A fresh database on the server, so the server under test can migrate it and get as far as opening its port. */
    private static String newDatabase() throws Exception {
        String name = "confab_start_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String admin = TestDatabase.externalUrl() != null ? DatabaseUrl.parse(TestDatabase.externalUrl()).jdbcUrl()
                : "jdbc:postgresql://" + serverHostPort + "/postgres";
        try (Connection connection = DriverManager.getConnection(admin, serverUser, null);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return "postgresql://" + serverUser + "@" + serverHostPort + "/" + name;
    }
}
