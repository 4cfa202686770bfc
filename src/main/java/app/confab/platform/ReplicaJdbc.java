package app.confab.platform;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.AbstractDataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

/**
 * Where a read that tolerates a little staleness (chat history, search) is sent: to the read
 * replica (DATABASE_REPLICA_URL) while it is healthy and close behind the primary, otherwise to
 * the primary. Repositories opt in per query:
 *
 * <pre>{@code replicaJdbc.forRead(userId).sql("SELECT ...").param(...).query(...)}</pre>
 *
 * <p>Work that needs several statements in one transaction (search sets per-transaction planner
 * settings) uses {@link #readOnlyTransaction} with statements on {@link #routed()}.
 *
 * <p>The primary answers instead when: no replica is configured; the caller is inside a
 * transaction (it may read its own uncommitted writes, and one transaction uses one connection);
 * the reader wrote recently ({@link #noteWrite}, called for every authenticated non-GET request);
 * the replica's replay lag exceeded {@code DATABASE_REPLICA_MAX_LAG} at the last check; the last
 * check is stale or failed; or the replica cannot hand out a connection right now, or a statement on
 * it just lost its connection (the read that hit the broken connection itself fails once). The check
 * runs every {@code DATABASE_REPLICA_CHECK_INTERVAL} on its own thread.
 *
 * <p>Why a user who wrote is pinned to the primary for {@code maxLag + checkInterval}: a replica
 * judged fresh at a check has replayed everything committed {@code maxLag} before that check, and
 * checks come at least every {@code checkInterval}, so after that window any replica still in use
 * has the user's write.
 */
@Component
public class ReplicaJdbc {

    private static final Logger log = LoggerFactory.getLogger(ReplicaJdbc.class);

    private final JdbcClient primary;
    private final DataSource primarySource;
    private final JdbcClient replica;
    private final JdbcClient checkClient;
    /** Statements on it run on whichever database the current readOnlyTransaction chose. */
    private final JdbcClient routed;
    private final TransactionTemplate routedReadOnly;
    private final ThreadLocal<Boolean> onReplica = new ThreadLocal<>();
    private final ConfabProperties.Replica settings;
    private final Cache<UUID, Boolean> recentWriters;
    private final ScheduledExecutorService checker;
    private volatile Status status = new Status(false, Double.NaN, 0, "not checked yet");

    /** The outcome of the last check; {@code lagSeconds} is NaN when unknown. */
    public record Status(boolean usable, double lagSeconds, long checkedAtNanos, String problem) {
    }

    public ReplicaJdbc(JdbcClient primary, DataSource primarySource, DataSourceConfig.ReplicaPool replicaPool,
                       ConfabProperties properties, MeterRegistry registry) {
        this.primary = primary;
        this.primarySource = primarySource;
        this.settings = properties.databaseReplica();
        if (!replicaPool.configured()) {
            this.replica = null;
            this.checkClient = null;
            this.recentWriters = null;
            this.checker = null;
            this.routed = primary;
            this.routedReadOnly = readOnly(new DataSourceTransactionManager(primarySource));
            return;
        }
        DataSource timed = ProxyDataSourceBuilder.create("replica", replicaPool.pool())
                .listener(new QueryTimer(registry, "replica"))
                .listener(new ConnectionLossListener())
                .build();
        FallbackDataSource replicaSource = new FallbackDataSource(timed);
        this.replica = JdbcClient.create(replicaSource);
        RoutingDataSource routing = new RoutingDataSource(replicaSource);
        this.routed = JdbcClient.create(routing);
        this.routedReadOnly = readOnly(new DataSourceTransactionManager(routing));
        JdbcTemplate checkTemplate = new JdbcTemplate(replicaPool.pool());
        checkTemplate.setQueryTimeout((int) Math.max(1, settings.checkInterval().toSeconds() * 2));
        this.checkClient = JdbcClient.create(checkTemplate);
        this.recentWriters = Caffeine.newBuilder()
                .expireAfterWrite(settings.maxLag().plus(settings.checkInterval()))
                .maximumSize(1_000_000)
                .build();
        Gauge.builder("database.replica.lag", this, replica -> replica.status.lagSeconds())
                .description("Replay lag of the read replica at the last check (NaN when unknown)")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("database.replica.usable", this, replica -> replica.replicaUsable() ? 1 : 0)
                .description("1 while reads may go to the replica, 0 while they fall back to the primary")
                .register(registry);
        this.checker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("replica-check").factory());
        long interval = settings.checkInterval().toMillis();
        checker.scheduleWithFixedDelay(this::check, 0, interval, TimeUnit.MILLISECONDS);
    }

    /** A client for a lag-tolerant read made on behalf of {@code readerId} (may be null). */
    public JdbcClient forRead(UUID readerId) {
        if (replica == null || TransactionSynchronizationManager.isActualTransactionActive()) {
            return primary;
        }
        if (readerId != null && recentWriters.getIfPresent(readerId) != null) {
            return primary;
        }
        return replicaUsable() ? replica : primary;
    }

    /** A client for a lag-tolerant read not tied to one user. */
    public JdbcClient forRead() {
        return forRead(null);
    }

    /**
     * Runs {@code work} in one read-only transaction on the replica when {@link #forRead} would
     * choose it for {@code readerId}, otherwise on the primary; {@code work} issues its statements
     * through {@link #routed()}, so they all share that transaction (and its SET LOCAL settings).
     * If the replica fails it (lost connection, or a query cancelled by a replication conflict),
     * the work runs again once on the primary.
     */
    public <T> T readOnlyTransaction(UUID readerId, Supplier<T> work) {
        boolean useReplica = replica != null && forRead(readerId) == replica;
        onReplica.set(useReplica);
        try {
            return routedReadOnly.execute(status -> work.get());
        } catch (DataAccessException e) {
            if (!useReplica || !replicaFailure(e)) {
                throw e;
            }
            markUnusable("read failed: " + e.getMostSpecificCause().getMessage());
            onReplica.set(false);
            return routedReadOnly.execute(status -> work.get());
        } finally {
            onReplica.remove();
        }
    }

    /** The client for statements inside {@link #readOnlyTransaction}; outside one it uses the primary. */
    public JdbcClient routed() {
        return routed;
    }

    /** Pins {@code userId}'s reads to the primary until the replica must have caught up with this write. */
    public void noteWrite(UUID userId) {
        if (recentWriters != null && userId != null) {
            recentWriters.put(userId, Boolean.TRUE);
        }
    }

    public boolean configured() {
        return replica != null;
    }

    public Status status() {
        return status;
    }

    boolean replicaUsable() {
        Status current = status;
        long staleAfter = settings.checkInterval().multipliedBy(3).toNanos();
        return current.usable() && System.nanoTime() - current.checkedAtNanos() < staleAfter;
    }

    /** Measures the replica's lag behind the primary; public so tests can force a check. */
    public synchronized Status check() {
        if (replica == null) {
            return status;
        }
        Status next;
        try {
            String primaryLsn = primary.sql("SELECT pg_current_wal_lsn()::text").query(String.class).single();
            next = checkClient.sql("""
                    SELECT pg_is_in_recovery() AS recovering,
                           pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn) AS caught_up,
                           EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 AS since_replay
                    """)
                    .param("lsn", primaryLsn)
                    .query((rs, rowNum) -> {
                        boolean recovering = rs.getBoolean("recovering");
                        boolean caughtUp = rs.getBoolean("caught_up");
                        double sinceReplay = rs.getDouble("since_replay");
                        boolean replayTimeKnown = !rs.wasNull();
                        double lag;
                        if (!recovering || caughtUp) {
                            lag = 0;
                        } else {
                            // Behind the primary: it is as stale as the last transaction it replayed.
                            lag = replayTimeKnown ? Math.max(0, sinceReplay) : Double.POSITIVE_INFINITY;
                        }
                        boolean usable = lag <= settings.maxLag().toMillis() / 1000.0;
                        return new Status(usable, lag, System.nanoTime(),
                                usable ? null : "replay lag " + lag + "s exceeds " + settings.maxLag());
                    })
                    .single();
        } catch (RuntimeException e) {
            next = new Status(false, Double.NaN, System.nanoTime(), "unreachable: " + e.getMessage());
        }
        Status previous = status;
        status = next;
        if (previous.usable() && !next.usable()) {
            log.warn("Read replica not used, reads go to the primary: {}", next.problem());
        } else if (!previous.usable() && next.usable()) {
            log.info("Read replica in use (lag {}s)", next.lagSeconds());
        }
        return next;
    }

    @PreDestroy
    void stop() {
        if (checker != null) {
            checker.shutdownNow();
        }
    }

    private static TransactionTemplate readOnly(DataSourceTransactionManager manager) {
        TransactionTemplate template = new TransactionTemplate(manager);
        template.setReadOnly(true);
        return template;
    }

    /** Connection lost (08), server shutting down (57P), or cancelled by a conflict with recovery (40001). */
    private static boolean replicaFailure(DataAccessException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P") || state.equals("40001")) {
                    return true;
                }
            }
        }
        return false;
    }

    private void markUnusable(String problem) {
        status = new Status(false, Double.NaN, System.nanoTime(), problem);
        log.warn("Read replica unavailable, reading from the primary: {}", problem);
    }

    /**
     * A statement on the replica failed because its connection broke (SQLState class 08) or the
     * server is shutting down (57P): later reads go to the primary at once, not after the next check.
     */
    private final class ConnectionLossListener implements QueryExecutionListener {

        @Override
        public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {
        }

        @Override
        public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
            if (execution.getThrowable() instanceof SQLException e && e.getSQLState() != null
                    && (e.getSQLState().startsWith("08") || e.getSQLState().startsWith("57P"))) {
                markUnusable("connection lost: " + e.getMessage());
            }
        }
    }

    /**
     * The replica's pool, except that when it cannot hand out a connection the read takes one from
     * the primary instead of failing — a replica lost between two checks costs one connect timeout.
     */
    private final class FallbackDataSource extends AbstractDataSource {

        private final DataSource replicaSource;

        private FallbackDataSource(DataSource replicaSource) {
            this.replicaSource = replicaSource;
        }

        @Override
        public Connection getConnection() throws SQLException {
            try {
                return replicaSource.getConnection();
            } catch (SQLException e) {
                markUnusable("no connection: " + e.getMessage());
                return primarySource.getConnection();
            }
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }
    }

    /** The replica or the primary, as the current {@link #readOnlyTransaction} chose. */
    private final class RoutingDataSource extends AbstractDataSource {

        private final DataSource replicaSource;

        private RoutingDataSource(DataSource replicaSource) {
            this.replicaSource = replicaSource;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return Boolean.TRUE.equals(onReplica.get()) ? replicaSource.getConnection() : primarySource.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }
    }
}
