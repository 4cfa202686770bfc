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
        RateLimit rateLimit) {

    public record RateLimit(
            int apiPerMinute,
            int failedLoginsPerWindow,
            Duration failedLoginWindow,
            int messagesPerSecond,
            boolean trustForwardedFor) {
    }

    public boolean hasExternalDatabase() {
        return databaseUrl != null && !databaseUrl.isBlank();
    }

    public boolean hasRedis() {
        return redisUrl != null && !redisUrl.isBlank();
    }
}
