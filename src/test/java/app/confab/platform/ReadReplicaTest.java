package app.confab.platform;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.ConfabApplication;
import app.confab.support.Api;
import app.confab.support.Prerequisites;
import app.confab.support.PrometheusText;
import app.confab.support.TestDatabase;
import app.confab.support.Users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Read-replica routing against a real streaming replica: a primary made with initdb and a hot
 * standby made from it with pg_basebackup, both on this machine, with a whole Confab server on
 * top. Skipped (with the reason) only where the PostgreSQL server binaries are not installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadReplicaTest {

    private static Path parent;
    private static LocalPostgres primaryServer;
    private static LocalPostgres replicaServer;
    private static ConfigurableApplicationContext confab;
    private static ReplicaJdbc replica;
    private static JdbcClient primary;
    private static Api api;
    private static Users users;

    @BeforeAll
    static void startPrimaryReplicaAndConfab() {
        Path binaries = LocalPostgres.findBinaries();
        Prerequisites.require(binaries != null,
                "PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) not found under /usr/lib/postgresql/*/bin");
        parent = LocalPostgres.newParentDirectory();
        primaryServer = LocalPostgres.startPrimary(binaries, parent, "primary");
        replicaServer = primaryServer.startReplica(parent, "replica");
        confab = new SpringApplicationBuilder(ConfabApplication.class).run(
                "--server.port=0",
                "--confab.database-url=" + primaryServer.jdbcUrl(),
                "--confab.database-replica.url=" + replicaServer.jdbcUrl(),
                "--confab.database-replica.max-lag=1s",
                "--confab.database-replica.check-interval=200ms",
                "--confab.redis-url=",
                "--confab.data-dir=" + TestDatabase.newDataDir(),
                "--confab.rate-limit.api-per-minute=1000000");
        replica = confab.getBean(ReplicaJdbc.class);
        primary = confab.getBean(JdbcClient.class);
        int port = Integer.parseInt(confab.getEnvironment().getProperty("local.server.port"));
        api = new Api("http://localhost:" + port);
        users = new Users(api);
    }

    @AfterAll
    static void stopEverything() {
        if (confab != null) {
            confab.close();
        }
        if (replicaServer != null) {
            replicaServer.stopQuietly();
        }
        if (primaryServer != null) {
            primaryServer.stopQuietly();
        }
        LocalPostgres.deleteRecursively(parent);
    }

    @Test
    @Order(1)
    void lagTolerantReadsGoToTheReplicaWritesAndTransactionsToThePrimary() {
        awaitTrue("replica in use", () -> replica.check().usable());
        assertThat(inRecovery(replica.forRead())).as("forRead() answers from the standby").isTrue();
        assertThat(inRecovery(primary)).as("the application's JdbcClient is the primary").isFalse();

        Users.TestUser user = users.register("replica_reader");
        awaitTrue("the new user replicated", () -> countUsers(replica.forRead(), user.username()) == 1);

        TransactionTemplate transaction = confab.getBean(TransactionTemplate.class);
        Boolean insideTransaction = transaction.execute(status -> inRecovery(replica.forRead()));
        assertThat(insideTransaction).as("a read inside a transaction stays on its connection's primary").isFalse();

        PrometheusText metrics = PrometheusText.parse(api.get("/metrics", null).text());
        assertThat(metrics.sum("database_query_duration_seconds_count",
                Map.of("database", "replica", "query_type", "select"))).isGreaterThan(0);
        assertThat(metrics.sum("database_replica_usable", Map.of())).isEqualTo(1);
        assertThat(metrics.samples("database_replica_lag_seconds")).hasSize(1);
        Api.Response ready = api.get("/health/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().path("services").path("replica").asString()).isEqualTo("ok");
    }

    @Test
    @Order(2)
    void aUserWhoJustWroteReadsFromThePrimary() {
        awaitTrue("replica in use", () -> replica.check().usable());
        Users.TestUser writer = users.register("replica_writer");
        Users.TestUser bystander = users.register("replica_bystander");

        // Any signed-in request that may write pins its user to the primary for a while.
        api.post("/api/no-such-write", writer.token(), Map.of("any", "thing"));

        assertThat(inRecovery(replica.forRead(writer.id()))).isFalse();
        assertThat(inRecovery(replica.forRead(bystander.id()))).isTrue();
        assertThat(inRecovery(replica.forRead(UUID.randomUUID()))).isTrue();
    }

    @Test
    @Order(3)
    void chatHistoryAndSearchAreReadFromTheReplicaExceptByWhoJustWrote() {
        awaitTrue("replica in use", () -> replica.check().usable());
        Users.TestUser alice = users.register("replica_alice");
        Users.TestUser bob = users.register("replica_bob");
        Api.Response chat = api.post("/api/chats/direct", alice.token(), Map.of("userId", bob.id()));
        assertThat(chat.status()).as(chat.text()).isEqualTo(201);
        String chatId = chat.body().path("chat").path("id").asString();
        Api.Response sent = api.post("/api/chats/" + chatId + "/messages", alice.token(),
                Map.of("content", "replicated zebracorn"));
        assertThat(sent.status()).as(sent.text()).isEqualTo(201);
        String messageId = sent.body().path("message").path("id").asString();

        double before = replicaSelects();
        Api.Response ownHistory = api.get("/api/chats/" + chatId + "/messages", alice.token());
        assertThat(ownHistory.body().path("data").get(0).path("id").asString()).isEqualTo(messageId);
        Api.Response ownSearch = api.get("/api/messages/search?q=zebracorn", alice.token());
        assertThat(ownSearch.status()).as(ownSearch.text()).isEqualTo(200);
        assertThat(ownSearch.text()).contains(messageId);
        assertThat(replicaSelects()).as("the writer reads her own write from the primary").isEqualTo(before);

        awaitTrue("the message replicated", () -> replica.forRead().sql("SELECT count(*) FROM messages WHERE id = :id")
                .param("id", UUID.fromString(messageId)).query(Long.class).single() == 1);
        before = replicaSelects();
        Api.Response history = api.get("/api/chats/" + chatId + "/messages", bob.token());
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.body().path("data").get(0).path("id").asString()).isEqualTo(messageId);
        assertThat(replicaSelects()).as("another member's history page comes from the replica").isGreaterThan(before);

        before = replicaSelects();
        Api.Response search = api.get("/api/messages/search?q=zebracorn", bob.token());
        assertThat(search.status()).as(search.text()).isEqualTo(200);
        assertThat(search.text()).contains(messageId);
        assertThat(replicaSelects()).as("another member's search runs on the replica").isGreaterThan(before);
    }

    private static double replicaSelects() {
        return PrometheusText.parse(api.get("/metrics", null).text())
                .sum("database_query_duration_seconds_count", Map.of("database", "replica", "query_type", "select"));
    }

    @Test
    @Order(4)
    void aLaggingReplicaIsBypassedUntilItCatchesUp() throws Exception {
        awaitTrue("replica in use", () -> replica.check().usable());
        onReplica("SELECT pg_wal_replay_pause()");
        try {
            Users.TestUser late = users.register("replica_late");
            awaitTrue("replica judged lagging", () -> !replica.check().usable());
            assertThat(replica.status().lagSeconds()).isGreaterThan(1.0);

            assertThat(inRecovery(replica.forRead())).as("reads fall back to the primary").isFalse();
            assertThat(countUsers(replica.forRead(), late.username())).isEqualTo(1);
            assertThat(countUsers(JdbcClient.create(replicaDataSource()), late.username()))
                    .as("the paused standby really is behind").isZero();
            PrometheusText metrics = PrometheusText.parse(api.get("/metrics", null).text());
            assertThat(metrics.sum("database_replica_usable", Map.of())).isZero();
        } finally {
            onReplica("SELECT pg_wal_replay_resume()");
        }
        awaitTrue("replica in use again", () -> replica.check().usable());
        assertThat(inRecovery(replica.forRead())).isTrue();
    }

    @Test
    @Order(5)
    void aLostReplicaFallsBackToThePrimaryAndIsUsedAgainWhenBack() {
        awaitTrue("replica in use", () -> replica.check().usable());
        Users.TestUser user = users.register("replica_lost");
        awaitTrue("the new user replicated", () -> countUsers(replica.forRead(), user.username()) == 1);

        replicaServer.stop(true);
        // A read on a pooled connection that just broke fails once; the reads after it, and any
        // read that finds no replica connection, take the primary's — before any check runs.
        awaitTrue("reads answered by the primary", () -> !inRecovery(replica.forRead()));
        assertThat(countUsers(replica.forRead(), user.username())).isEqualTo(1);
        assertThat(replica.check().usable()).isFalse();
        Api.Response ready = api.get("/health/ready", null);
        assertThat(ready.status()).as("reads fall back, so the node stays ready").isEqualTo(200);
        assertThat(ready.body().path("services").path("replica").asString()).isEqualTo("error");

        replicaServer.start();
        awaitTrue("replica in use again", () -> replica.check().usable());
        assertThat(inRecovery(replica.forRead())).isTrue();
    }

    private static javax.sql.DataSource replicaDataSource() {
        return confab.getBean(DataSourceConfig.ReplicaPool.class).pool();
    }

    private static boolean inRecovery(JdbcClient client) {
        return client.sql("SELECT pg_is_in_recovery()").query(Boolean.class).single();
    }

    private static long countUsers(JdbcClient client, String username) {
        return client.sql("SELECT count(*) FROM users WHERE username = :username")
                .param("username", username).query(Long.class).single();
    }

    private static void onReplica(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(replicaServer.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        // An exception is "not yet": a server may still be starting.
        await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(condition::getAsBoolean);
    }
}
