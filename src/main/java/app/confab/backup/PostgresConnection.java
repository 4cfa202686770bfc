package app.confab.backup;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import app.confab.platform.DatabaseUrl;

/**
 * One database as both the JDBC driver and libpq's programs (pg_dump, pg_restore, psql) need it.
 * The password goes to the programs in PGPASSWORD, never on their command line, where any user
 * of the machine could read it.
 */
public record PostgresConnection(String jdbcUrl, String hosts, String database, Map<String, String> libpqParameters,
                                 String user, String password) {

    /** Driver parameters that mean the same to libpq (under the name on the right). */
    private static final Map<String, String> LIBPQ_NAMES = Map.of(
            "sslmode", "sslmode",
            "connectTimeout", "connect_timeout",
            "connect_timeout", "connect_timeout",
            "ApplicationName", "application_name",
            "application_name", "application_name");
    private static final Set<String> PRIMARY_TYPES = Set.of("primary", "master");

    public static PostgresConnection of(String databaseUrl) {
        DatabaseUrl url = DatabaseUrl.parse(databaseUrl);
        return of(url.jdbcUrl(), url.username(), url.password());
    }

    public static PostgresConnection of(String jdbcUrl, String user, String password) {
        String prefix = "jdbc:postgresql://";
        if (!jdbcUrl.startsWith(prefix)) {
            throw new IllegalArgumentException("Not a jdbc:postgresql://host/database URL: " + jdbcUrl);
        }
        String rest = jdbcUrl.substring(prefix.length());
        String query = "";
        int question = rest.indexOf('?');
        if (question >= 0) {
            query = rest.substring(question + 1);
            rest = rest.substring(0, question);
        }
        int slash = rest.indexOf('/');
        String hosts = slash >= 0 ? rest.substring(0, slash) : rest;
        String database = slash >= 0 && slash < rest.length() - 1 ? rest.substring(slash + 1) : "postgres";
        Map<String, String> libpq = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] keyValue = pair.split("=", 2);
            String key = keyValue[0];
            String value = keyValue.length > 1 ? URLDecoder.decode(keyValue[1], StandardCharsets.UTF_8) : "";
            switch (key) {
                case "user" -> user = user == null ? value : user;
                case "password" -> password = password == null ? value : password;
                case "targetServerType" -> {
                    if (PRIMARY_TYPES.contains(value)) {
                        libpq.put("target_session_attrs", "read-write");
                    }
                }
                default -> {
                    String libpqName = LIBPQ_NAMES.get(key);
                    if (libpqName != null) {
                        libpq.put(libpqName, value);
                    }
                }
            }
        }
        return new PostgresConnection(jdbcUrl, hosts, database, libpq, user, password);
    }

    /** The same server, another database on it (what a restore test restores into). */
    public PostgresConnection withDatabase(String otherDatabase) {
        String jdbc = jdbcUrl.replaceFirst("(jdbc:postgresql://[^/?]*)(/[^?]*)?", "$1/" + otherDatabase);
        return new PostgresConnection(jdbc, hosts, otherDatabase, libpqParameters, user, password);
    }

    /** A libpq connection URI without the password (pass {@link #environment()} with it). */
    public String libpqUri() {
        StringBuilder uri = new StringBuilder("postgresql://").append(hosts).append('/').append(database);
        String separator = "?";
        for (Map.Entry<String, String> parameter : libpqParameters.entrySet()) {
            uri.append(separator).append(parameter.getKey()).append('=').append(parameter.getValue());
            separator = "&";
        }
        return uri.toString();
    }

    /** PGUSER / PGPASSWORD for the client programs. */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        if (user != null) {
            environment.put("PGUSER", user);
        }
        if (password != null) {
            environment.put("PGPASSWORD", password);
        }
        return environment;
    }

    public Connection open() throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl, properties);
    }

    /** Where it points, for messages: never the password. */
    public String describe() {
        return (user == null ? "" : user + "@") + hosts + "/" + database;
    }
}
