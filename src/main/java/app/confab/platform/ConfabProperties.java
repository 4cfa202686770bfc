package app.confab.platform;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import app.confab.platform.startup.InvalidSettingException;

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

    /** At least this many bytes of key for HS256 (RFC 7518 §3.2). */
    static final int MIN_JWT_SECRET_BYTES = 32;

    /** Checks the values at binding, before anything connects, so a bad one ends the start with one line. */
    public ConfabProperties {
        if (databaseUrl != null && !databaseUrl.isBlank()) {
            checkDatabaseUrl("DATABASE_URL", databaseUrl);
        }
        if (databaseReplica != null && databaseReplica.configured()) {
            checkDatabaseUrl("DATABASE_REPLICA_URL", databaseReplica.url());
        }
        if (redisUrl != null && !redisUrl.isBlank()) {
            checkRedisUrl(redisUrl.trim());
        }
        checkJwtSecret("JWT_SECRET", jwtSecret);
        checkJwtSecret("JWT_REFRESH_SECRET", jwtRefreshSecret);
    }

    private static void checkDatabaseUrl(String variable, String url) {
        String example = "postgresql://confab:secret@db.internal:5432/confab";
        String trimmed = url.trim();
        String scheme = trimmed.contains("://") ? trimmed.substring(0, trimmed.indexOf("://")) : "";
        if (!scheme.equals("postgresql") && !scheme.equals("postgres") && !scheme.equals("jdbc:postgresql")) {
            throw new InvalidSettingException(variable, scheme.isEmpty()
                    ? "\"" + redact(trimmed) + "\" is not a URL (expected postgresql://user:password@host:port/database)"
                    : "scheme \"" + scheme + "://\" is not supported; Confab needs PostgreSQL (postgresql://)", example);
        }
        try {
            java.net.URI uri = java.net.URI.create(trimmed.startsWith("jdbc:") ? trimmed.substring(5) : trimmed);
            // Several hosts (h1:5432,h2:5432, for failover) make the authority one URI cannot parse
            // as a server: then the first host is the one to check.
            String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
            String firstHost = authority.substring(authority.lastIndexOf('@') + 1).split(",")[0].replaceAll(":\\d*$", "");
            if (firstHost.isBlank()) {
                throw new InvalidSettingException(variable, "no host in \"" + redact(trimmed) + "\"", example);
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(variable, "not a valid URL (" + e.getMessage().replace(trimmed, redact(trimmed)) + ")",
                    example);
        }
    }

    private static void checkRedisUrl(String url) {
        String example = "redis://:password@redis.internal:6379/0 (or rediss:// for TLS, or "
                + "redis-sentinel://:password@s1:26379,s2:26379?sentinelMasterId=mymaster for Sentinel)";
        // Sentinel (docs/OPERATIONS.md, "High availability"): Lettuce asks the sentinels for the master.
        boolean sentinel = url.startsWith("redis-sentinel://") || url.startsWith("rediss-sentinel://");
        if (!sentinel && !url.startsWith("redis://") && !url.startsWith("rediss://") && !url.startsWith("redis-socket://")) {
            throw new InvalidSettingException("REDIS_URL", "\"" + redact(url)
                    + "\" does not start with redis://, rediss://, redis-socket:// or redis-sentinel://", example);
        }
        try {
            io.lettuce.core.RedisURI parsed = io.lettuce.core.RedisURI.create(url);
            if (sentinel) {
                if (parsed.getSentinels().isEmpty() || parsed.getSentinelMasterId() == null
                        || parsed.getSentinelMasterId().isBlank()) {
                    throw new InvalidSettingException("REDIS_URL", "a Sentinel URL needs its sentinels' hosts and "
                            + "?sentinelMasterId=<master name>: \"" + redact(url) + "\"", example);
                }
            } else if (!url.startsWith("redis-socket://") && (parsed.getHost() == null || parsed.getHost().isBlank())) {
                throw new InvalidSettingException("REDIS_URL", "no host in \"" + redact(url) + "\"", example);
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("REDIS_URL", "not a valid Redis URL: \"" + redact(url) + "\"", example);
        }
    }

    private static void checkJwtSecret(String variable, String secret) {
        if (secret == null || secret.isBlank()) {
            return;
        }
        int bytes = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes < MIN_JWT_SECRET_BYTES) {
            throw new InvalidSettingException(variable, "the secret is " + bytes + " bytes long; HS256 needs at least "
                    + MIN_JWT_SECRET_BYTES, "the output of `openssl rand -base64 48` (or leave it unset: one is generated "
                    + "and kept in the database)");
        }
    }

    /** A URL as it may appear in a log line: without its password. */
    static String redact(String url) {
        return url.replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@");
    }

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
