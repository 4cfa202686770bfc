package app.confab.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The ICE servers handed to browsers, and coturn's REST-API credential scheme (use-auth-secret). */
class IceServersTest {

    private static final UUID USER = UUID.fromString("6f1c2a9e-3d1b-4a52-9d8e-2b8f0c7e5a11");
    // 2025-12-02T01:00:00Z; the credential expires an hour later, at 1764640800.
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1764637200), ZoneOffset.UTC);

    private static CallSettings settings(List<String> stun, List<String> turn, String secret) {
        return new CallSettings(Duration.ofSeconds(30), 8, Duration.ofSeconds(15), stun, turn, secret,
                Duration.ofHours(1));
    }

    @Test
    void turnCredentialsFollowCoturnsRestApiConvention() {
        IceServers servers = new IceServers(settings(List.of("stun:turn.example.com:3478"),
                List.of("turn:turn.example.com:3478?transport=udp", " turn:turn.example.com:3478?transport=tcp", ""),
                "north-wind"), CLOCK);
        IceServers.IceConfig config = servers.forUser(USER);
        assertThat(config.ttlSec()).isEqualTo(3600);
        assertThat(config.iceServers()).hasSize(2);
        assertThat(config.iceServers().getFirst().urls()).containsExactly("stun:turn.example.com:3478");
        assertThat(config.iceServers().getFirst().username()).isNull();
        IceServers.IceServer turn = config.iceServers().get(1);
        assertThat(turn.urls()).containsExactly("turn:turn.example.com:3478?transport=udp", "turn:turn.example.com:3478?transport=tcp");
        assertThat(turn.username()).isEqualTo("1764640800:" + USER);
        // Computed independently: base64(HMAC-SHA1("north-wind", username)) with Python's hmac module.
        assertThat(turn.credential()).isEqualTo("aNjLNmT8AAtHAWUZ7D2V01dyx9w=");
    }

    @Test
    void withoutTurnThereAreNoCredentialsAndWithoutAnythingNoServers() {
        assertThat(new IceServers(settings(List.of(), List.of(), ""), CLOCK).forUser(USER).iceServers()).isEmpty();
        IceServers.IceConfig noSecret = new IceServers(settings(List.of(), List.of("turn:t.example.com"), ""), CLOCK).forUser(USER);
        assertThat(noSecret.iceServers().getFirst().credential()).isNull();
        assertThat(noSecret.ttlSec()).isZero();
    }
}
