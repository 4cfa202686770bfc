package app.confab.platform;


import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** The primary database: the server DATABASE_URL names, or the embedded one in the data directory. */
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
    HikariDataSource dataSource(ConfabProperties properties, EmbeddedDatabaseHolder embedded) {
        HikariConfig config = new HikariConfig();
        if (embedded.server() != null) {
            config.setJdbcUrl(embedded.server().jdbcUrl());
            config.setUsername("postgres");
        } else {
            DatabaseUrl url = DatabaseUrl.parse(properties.databaseUrl());
            config.setJdbcUrl(url.jdbcUrl());
            if (url.username() != null) {
                config.setUsername(url.username());
            }
            if (url.password() != null) {
                config.setPassword(url.password());
            }
        }
        config.setPoolName("confab-primary");
        config.setMaximumPoolSize(Integer.getInteger("confab.db.pool-size", 20));
        config.setConnectionTimeout(5_000);
        return new HikariDataSource(config);
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
