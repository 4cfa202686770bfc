package app.confab.notification;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.GeneralSecurityException;
import java.security.Security;
import java.util.Base64;

import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.interfaces.ECPrivateKey;
import org.bouncycastle.jce.interfaces.ECPublicKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import nl.martijndwars.webpush.Utils;

/**
 * The server's VAPID key pair (RFC 8292): from VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY when set;
 * otherwise generated once and kept in app_settings (like the JWT keys), so every node signs with
 * the same key and browsers' subscriptions keep working across restarts. Changing the key
 * invalidates every subscription (browsers bind them to the key).
 */
@Component
class VapidKeys {

    static final String SETTING = "vapid.keys";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keyPair;
    private final String publicKey;

    VapidKeys(NotificationProperties properties, JdbcClient jdbc) throws GeneralSecurityException {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        String pub = properties.vapidPublicKey();
        String priv = properties.vapidPrivateKey();
        if (NotificationProperties.blank(pub) != NotificationProperties.blank(priv)) {
            throw new IllegalStateException("Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither");
        }
        if (NotificationProperties.blank(pub)) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("ECDH", BouncyCastleProvider.PROVIDER_NAME);
            generator.initialize(ECNamedCurveTable.getParameterSpec("prime256v1"));
            KeyPair generated = generator.generateKeyPair();
            String value = B64.encodeToString(Utils.encode((ECPublicKey) generated.getPublic())) + "."
                    + B64.encodeToString(Utils.encode((ECPrivateKey) generated.getPrivate()));
            // Two nodes may start at once: the first insert wins and both read the winner back.
            jdbc.sql("INSERT INTO app_settings (key, value) VALUES (:key, :value) ON CONFLICT (key) DO NOTHING")
                    .param("key", SETTING)
                    .param("value", value)
                    .update();
            String stored = jdbc.sql("SELECT value FROM app_settings WHERE key = :key")
                    .param("key", SETTING)
                    .query(String.class)
                    .single();
            pub = stored.substring(0, stored.indexOf('.'));
            priv = stored.substring(stored.indexOf('.') + 1);
        }
        Base64.Decoder decoder = Base64.getUrlDecoder();
        this.keyPair = new KeyPair(Utils.loadPublicKey(decoder.decode(pub.trim())),
                Utils.loadPrivateKey(decoder.decode(priv.trim())));
        if (!Utils.verifyKeyPair(keyPair.getPrivate(), keyPair.getPublic())) {
            throw new IllegalStateException("VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY");
        }
        this.publicKey = B64.encodeToString(Utils.encode((ECPublicKey) keyPair.getPublic()));
    }

    KeyPair keyPair() {
        return keyPair;
    }

    /** The application server key browsers pass to pushManager.subscribe (base64url, 65 bytes). */
    String publicKey() {
        return publicKey;
    }
}
