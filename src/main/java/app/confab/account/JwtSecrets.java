package app.confab.account;

import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import app.confab.platform.ConfabProperties;

/**
 * The HS256 keys for access and refresh tokens. From JWT_SECRET / JWT_REFRESH_SECRET when set;
 * otherwise generated once (256 random bits each) and kept in the database, so every node of a
 * deployment signs and verifies with the same keys. There is never a built-in default.
 */
@Component
public class JwtSecrets {

    private final byte[] accessKey;
    private final byte[] refreshKey;

    public JwtSecrets(ConfabProperties properties, JdbcClient jdbc) {
        this.accessKey = resolve(properties.jwtSecret(), "jwt.access.secret", jdbc);
        this.refreshKey = resolve(properties.jwtRefreshSecret(), "jwt.refresh.secret", jdbc);
    }

    private static byte[] resolve(String configured, String settingKey, JdbcClient jdbc) {
        if (configured != null && !configured.isBlank()) {
            byte[] bytes = configured.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (bytes.length < 32) {
                throw new IllegalStateException("JWT secrets must be at least 32 bytes long for HS256");
            }
            return bytes;
        }
        byte[] generated = new byte[32];
        new SecureRandom().nextBytes(generated);
        // Two nodes may start at once: the first insert wins and both read the winner back.
        jdbc.sql("INSERT INTO app_settings (key, value) VALUES (:key, :value) ON CONFLICT (key) DO NOTHING")
                .param("key", settingKey)
                .param("value", Base64.getEncoder().encodeToString(generated))
                .update();
        String stored = jdbc.sql("SELECT value FROM app_settings WHERE key = :key")
                .param("key", settingKey)
                .query(String.class)
                .single();
        return Base64.getDecoder().decode(stored);
    }

    byte[] accessKey() {
        return accessKey;
    }

    byte[] refreshKey() {
        return refreshKey;
    }
}
