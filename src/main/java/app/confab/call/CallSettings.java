package app.confab.call;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Calls (docs/subsystems/calls.md): ring timeout, size and the ICE servers handed
 * to browsers. Operators set the TURN part from the environment (TURN_URLS, TURN_SECRET; see
 * docs/OPERATIONS.md, "Calls").
 *
 * @param ringTimeout       an unanswered call ends as missed after this long
 * @param maxParticipants   the largest chat a call may ring (mesh WebRTC: every peer uploads to every other)
 * @param livenessCheck     how often a live call checks that its participants are still connected
 * @param stunUrls          STUN servers to hand out (no credentials needed)
 * @param turnUrls          TURN servers (coturn) to hand out with time-limited credentials
 * @param turnSecret        coturn's static-auth-secret (use-auth-secret), shared with the server
 * @param turnCredentialTtl how long an issued TURN credential is valid
 */
@ConfigurationProperties(prefix = "confab.calls")
public record CallSettings(
        @DefaultValue("30s") Duration ringTimeout,
        @DefaultValue("8") int maxParticipants,
        @DefaultValue("15s") Duration livenessCheck,
        @DefaultValue List<String> stunUrls,
        @DefaultValue List<String> turnUrls,
        @DefaultValue("") String turnSecret,
        @DefaultValue("1h") Duration turnCredentialTtl) {

    public CallSettings {
        stunUrls = clean(stunUrls);
        turnUrls = clean(turnUrls);
        turnSecret = turnSecret == null ? "" : turnSecret;
    }

    private static List<String> clean(List<String> urls) {
        return urls == null ? List.of() : urls.stream().map(String::trim).filter(url -> !url.isEmpty()).toList();
    }
}
