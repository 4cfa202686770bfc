package app.confab.platform;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL location as docs/OPERATIONS.md ("Configuration") accepts it: {@code postgresql://user:password@host:port/db}
 * (also {@code postgres://}) or a plain {@code jdbc:postgresql://} URL. Several hosts
 * ({@code postgresql://u:p@h1:5432,h2:5432/db}) name a primary and its standbys: the driver is told
 * {@code targetServerType=primary}, so it connects only to whichever host currently accepts writes
 * and, after a failover, finds the promoted standby on the next connection attempt (host states are
 * re-checked after 2 s, {@code hostRecheckSeconds}).
 */
public record DatabaseUrl(String jdbcUrl, String username, String password) {

    public static DatabaseUrl parse(String url) {
        String trimmed = url.trim();
        if (trimmed.startsWith("jdbc:")) {
            return new DatabaseUrl(trimmed, null, null);
        }
        String rest;
        if (trimmed.startsWith("postgresql://")) {
            rest = trimmed.substring("postgresql://".length());
        } else if (trimmed.startsWith("postgres://")) {
            rest = trimmed.substring("postgres://".length());
        } else {
            throw new IllegalArgumentException("DATABASE_URL must start with postgresql:// or jdbc:postgresql://");
        }
        String query = null;
        int question = rest.indexOf('?');
        if (question >= 0) {
            query = rest.substring(question + 1);
            rest = rest.substring(0, question);
        }
        String database = "postgres";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            if (slash < rest.length() - 1) {
                database = rest.substring(slash + 1);
            }
            rest = rest.substring(0, slash);
        }
        String username = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String[] parts = rest.substring(0, at).split(":", 2);
            username = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
            rest = rest.substring(at + 1);
        }
        String[] hosts = rest.split(",");
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://");
        for (int i = 0; i < hosts.length; i++) {
            String host = hosts[i].trim();
            if (host.isEmpty()) {
                throw new IllegalArgumentException("DATABASE_URL names an empty host");
            }
            jdbc.append(i == 0 ? "" : ",").append(host.contains(":") && !host.endsWith("]") ? host : host + ":5432");
        }
        jdbc.append('/').append(database);
        String parameters = query == null ? "" : query;
        if (hosts.length > 1 && !parameters.contains("targetServerType=")) {
            parameters = parameters.isEmpty() ? "targetServerType=primary" : parameters + "&targetServerType=primary";
        }
        if (hosts.length > 1 && !parameters.contains("hostRecheckSeconds=")) {
            // The driver remembers which host was a standby for 10 s by default: after a promotion
            // that would keep the pool away from the new primary for that long.
            parameters += "&hostRecheckSeconds=2";
        }
        if (!parameters.isEmpty()) {
            jdbc.append('?').append(parameters);
        }
        return new DatabaseUrl(jdbc.toString(), username, password);
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
