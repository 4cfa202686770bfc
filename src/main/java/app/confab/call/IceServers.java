package app.confab.call;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The ICE servers a browser should use for its calls, as an {@code RTCConfiguration.iceServers}
 * list. TURN credentials follow coturn's REST-API convention (use-auth-secret /
 * static-auth-secret): username {@code <expiry unix seconds>:<userId>}, credential
 * base64(HMAC-SHA1(secret, username)). coturn checks the HMAC and the expiry itself, so the chat
 * server and coturn share nothing but the secret.
 */
@Component
class IceServers {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record IceServer(List<String> urls, String username, String credential) {
    }

    /** {@code ttlSec}: how long the TURN credentials stay valid (0 when there are none). */
    record IceConfig(List<IceServer> iceServers, long ttlSec) {
    }

    private final CallSettings settings;
    private final Clock clock;

    IceServers(CallSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    IceConfig forUser(UUID userId) {
        List<IceServer> servers = new ArrayList<>();
        if (!settings.stunUrls().isEmpty()) {
            servers.add(new IceServer(settings.stunUrls(), null, null));
        }
        long ttl = 0;
        if (!settings.turnUrls().isEmpty()) {
            if (settings.turnSecret().isEmpty()) {
                // coturn without a shared secret would need static users; we hand out the URLs only.
                servers.add(new IceServer(settings.turnUrls(), null, null));
            } else {
                ttl = settings.turnCredentialTtl().toSeconds();
                long expiry = clock.instant().getEpochSecond() + ttl;
                String username = expiry + ":" + userId;
                servers.add(new IceServer(settings.turnUrls(), username, credential(settings.turnSecret(), username)));
            }
        }
        return new IceConfig(List.copyOf(servers), ttl);
    }

    static String credential(String secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }
}
