package app.confab.attachment;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Signs image URLs so they can go straight into an {@code <img>} tag, which cannot send a bearer
 * token: {@code /api/attachments/:id/signed/:variant?exp=&sig=}, where sig is an HMAC-SHA256 of the
 * id, variant and expiry. Links are short-lived (at most {@code confab.attachments.signed-url-ttl},
 * 10 minutes by default): the expiry is rounded up to a half-period boundary and lies half to one
 * period ahead, so one image keeps one URL for half the period and the browser cache still works.
 * A valid signature is not the whole check: the file's chat is checked again at every use.
 * The key is generated once and kept in the database, so every node signs alike.
 */
@Component
class UrlSigner {

    private static final String SETTING_KEY = "attachment.url.secret";

    private final byte[] key;
    private final Clock clock;
    private final long halfPeriodSeconds;

    UrlSigner(JdbcClient jdbc, Clock clock, AttachmentSettings settings) {
        this.clock = clock;
        this.halfPeriodSeconds = Math.max(1, settings.signedUrlTtl().toSeconds() / 2);
        this.key = loadOrCreateKey(jdbc);
    }

    enum Verdict { VALID, EXPIRED, INVALID }

    String url(UUID id, Variant variant) {
        long expiry = (clock.instant().getEpochSecond() / halfPeriodSeconds + 2) * halfPeriodSeconds;
        return "/api/attachments/" + id + "/signed/" + variant.pathName() + "?exp=" + expiry + "&sig=" + sign(id, variant, expiry);
    }

    Verdict verify(UUID id, Variant variant, Long expiry, String signature) {
        if (expiry == null || signature == null) {
            return Verdict.INVALID;
        }
        byte[] expected = sign(id, variant, expiry).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            return Verdict.INVALID;
        }
        return clock.instant().getEpochSecond() < expiry ? Verdict.VALID : Verdict.EXPIRED;
    }

    /** Seconds the signed URL has left (for Cache-Control: a cached copy should not outlive its link). */
    long secondsLeft(long expiry) {
        return Math.max(0, expiry - clock.instant().getEpochSecond());
    }

    private String sign(UUID id, Variant variant, long expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "/" + variant.pathName() + "/" + expiry).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] loadOrCreateKey(JdbcClient jdbc) {
        byte[] generated = new byte[32];
        new SecureRandom().nextBytes(generated);
        // Nodes starting together race here: the first insert wins and everyone reads the winner back.
        jdbc.sql("INSERT INTO app_settings (key, value) VALUES (:key, :value) ON CONFLICT (key) DO NOTHING")
                .param("key", SETTING_KEY)
                .param("value", Base64.getEncoder().encodeToString(generated))
                .update();
        String stored = jdbc.sql("SELECT value FROM app_settings WHERE key = :key")
                .param("key", SETTING_KEY)
                .query(String.class)
                .single();
        return Base64.getDecoder().decode(stored);
    }
}
