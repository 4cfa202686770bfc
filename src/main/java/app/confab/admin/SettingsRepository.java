package app.confab.admin;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Administration values in the {@code app_settings} key/value table, each a JSON document. */
@Repository
class SettingsRepository {

    static final String SETTINGS = "admin.settings";
    static final String RETENTION_LAST_RUN = "retention.last_run";
    static final String RETENTION_CLAIM = "retention.claim";

    private final JdbcClient jdbc;

    SettingsRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<String> read(String key) {
        return jdbc.sql("SELECT value FROM app_settings WHERE key = :key").param("key", key).query(String.class).optional();
    }

    void write(String key, String value) {
        jdbc.sql("""
                INSERT INTO app_settings (key, value) VALUES (:key, :value)
                ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
                """)
                .param("key", key)
                .param("value", value)
                .update();
    }

    /**
     * Takes the daily retention run for this node unless another node took it within
     * {@code minHours}: one atomic upsert, so only one node of a deployment runs it.
     */
    boolean claim(String key, long nowEpochSecond, long minSeconds) {
        return jdbc.sql("""
                INSERT INTO app_settings (key, value) VALUES (:key, :now)
                ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
                WHERE CAST(app_settings.value AS BIGINT) <= :threshold
                """)
                .param("key", key)
                .param("now", Long.toString(nowEpochSecond))
                .param("threshold", nowEpochSecond - minSeconds)
                .update() == 1;
    }
}
