package app.confab.platform;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Deployment settings; each is fed by an environment variable named in application.yml. */
@ConfigurationProperties(prefix = "confab")
public record ConfabProperties(
        Path dataDir,
        String databaseUrl,
        String redisUrl,
        String jwtSecret,
        String jwtRefreshSecret,
        long maxJsonBodyBytes,
        RateLimit rateLimit,
        Replica databaseReplica,
        Duration drainDelay) {

    public record RateLimit(
            int apiPerMinute,
            int failedLoginsPerWindow,
            Duration failedLoginWindow,
            int messagesPerSecond,
            boolean trustForwardedFor) {
    }

    /**
     * An optional streaming replica for reads that tolerate lag (history, search): used while its
     * replay lag stays under {@code maxLag}, measured every {@code checkInterval}.
     */
    public record Replica(String url, Duration maxLag, Duration checkInterval) {

        public boolean configured() {
            return url != null && !url.isBlank();
        }
    }

    public boolean hasExternalDatabase() {
        return databaseUrl != null && !databaseUrl.isBlank();
    }

    public boolean hasRedis() {
        return redisUrl != null && !redisUrl.isBlank();
    }
}
