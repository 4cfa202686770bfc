package app.confab.notification;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Signed unsubscribe tokens for digest emails: the user id and an HMAC-SHA256 of it under a
 * deployment secret (generated once into app_settings). Whoever holds a user's email can turn off
 * that user's email notifications, and nothing else; the token never expires, like the link in an
 * old email should keep working.
 */
@Component
class UnsubscribeTokens {

    private static final String SETTING = "notifications.unsubscribe.secret";
    private final byte[] key;

    UnsubscribeTokens(JdbcClient jdbc) {
        byte[] generated = new byte[32];
        new SecureRandom().nextBytes(generated);
        jdbc.sql("INSERT INTO app_settings (key, value) VALUES (:key, :value) ON CONFLICT (key) DO NOTHING")
                .param("key", SETTING)
                .param("value", Base64.getEncoder().encodeToString(generated))
                .update();
        this.key = Base64.getDecoder().decode(jdbc.sql("SELECT value FROM app_settings WHERE key = :key")
                .param("key", SETTING).query(String.class).single());
    }

    String issue(UUID userId) {
        byte[] id = bytes(userId);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(id) + "." + b64.encodeToString(mac(id));
    }

    Optional<UUID> verify(String token) {
        if (token == null || token.length() > 200 || token.indexOf('.') < 0) {
            return Optional.empty();
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            byte[] id = b64.decode(token.substring(0, token.indexOf('.')));
            byte[] signature = b64.decode(token.substring(token.indexOf('.') + 1));
            if (id.length != 16 || !MessageDigest.isEqual(mac(id), signature)) {
                return Optional.empty();
            }
            ByteBuffer buffer = ByteBuffer.wrap(id);
            return Optional.of(new UUID(buffer.getLong(), buffer.getLong()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update("confab-unsubscribe-email:".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }
}
