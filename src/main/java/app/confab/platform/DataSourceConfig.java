package app.confab.platform;


import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

/**
 * The primary database (the server DATABASE_URL names, or the embedded one in the data directory)
 * and, with DATABASE_REPLICA_URL, a second pool on a read replica. Both pools report Hikari's pool
 * metrics and are wrapped (datasource-proxy) so every statement is timed by {@link QueryTimer}.
 * The replica pool is deliberately not a {@link DataSource} bean: nothing reaches it except through
 * {@link ReplicaJdbc}, which times its statements too and decides per read whether it may answer.
 */
@Configuration(proxyBeanMethods = false)
public class DataSourceConfig {

    @Bean(destroyMethod = "close")
    EmbeddedDatabaseHolder embeddedDatabase(ConfabProperties properties) {
        if (properties.hasExternalDatabase()) {
            return new EmbeddedDatabaseHolder(null);
        }
        return new EmbeddedDatabaseHolder(EmbeddedPostgresServer.start(properties.dataDir()));
    }

    @Bean(destroyMethod = "close")
    PrimaryPool primaryPool(ConfabProperties properties, EmbeddedDatabaseHolder embedded, MeterRegistry registry) {
        HikariConfig config = new HikariConfig();
        if (embedded.server() != null) {
            config.setJdbcUrl(embedded.server().jdbcUrl());
            config.setUsername(embedded.server().username());
            config.setPassword(embedded.server().password());
        } else {
            applyUrl(config, DatabaseUrl.parse(properties.databaseUrl()));
        }
        config.setPoolName("confab-primary");
        config.setMaximumPoolSize(Integer.getInteger("confab.db.pool-size", 20));
        config.setConnectionTimeout(5_000);
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        return new PrimaryPool(new HikariDataSource(config));
    }

    @Bean
    DataSource dataSource(PrimaryPool pool, MeterRegistry registry) {
        return ProxyDataSourceBuilder.create("primary", pool.pool())
                .listener(new QueryTimer(registry, "primary"))
                .build();
    }

    @Bean(destroyMethod = "close")
    ReplicaPool replicaPool(ConfabProperties properties, MeterRegistry registry) {
        ConfabProperties.Replica replica = properties.databaseReplica();
        if (replica == null || !replica.configured()) {
            return new ReplicaPool(null);
        }
        HikariConfig config = new HikariConfig();
        applyUrl(config, DatabaseUrl.parse(replica.url()));
        config.setPoolName("confab-replica");
        config.setMaximumPoolSize(Integer.getInteger("confab.db.replica-pool-size", 20));
        config.setReadOnly(true);
        // A lost replica must fail fast: the read then goes to the primary instead of waiting.
        config.setConnectionTimeout(1_000);
        config.setValidationTimeout(1_000);
        // Start even when the replica is down; the health check keeps trying.
        config.setInitializationFailTimeout(-1);
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        return new ReplicaPool(new HikariDataSource(config));
    }

    private static void applyUrl(HikariConfig config, DatabaseUrl url) {
        config.setJdbcUrl(url.jdbcUrl());
        if (url.username() != null) {
            config.setUsername(url.username());
        }
        if (url.password() != null) {
            config.setPassword(url.password());
        }
    }

    /** The primary's connection pool; closed before the embedded server it may point at. */
    public record PrimaryPool(HikariDataSource pool) implements AutoCloseable {
        @Override
        public void close() {
            pool.close();
        }
    }

    /** The replica's pool, null without DATABASE_REPLICA_URL; {@link ReplicaJdbc} wraps it. */
    public record ReplicaPool(HikariDataSource pool) implements AutoCloseable {

        public boolean configured() {
            return pool != null;
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.close();
            }
        }
    }

    /** Keeps the embedded server's lifetime tied to the context: it closes after the pool. */
    public record EmbeddedDatabaseHolder(EmbeddedPostgresServer server) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (server != null) {
                server.close();
            }
        }
    }

}
