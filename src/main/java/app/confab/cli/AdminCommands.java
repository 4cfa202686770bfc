package app.confab.cli;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import app.confab.account.Secrets;

/**
 * {@code admin grant USERNAME} and {@code admin reset-password USERNAME}: the way back in on the
 * day every administrator is locked out. Works on the database directly (see {@link CliDatabase}),
 * so it needs no running server, and is audited like any administrator action.
 */
final class AdminCommands {

    private static final String USAGE = """
            Usage: java -jar confab.jar admin grant USERNAME
                   java -jar confab.jar admin reset-password USERNAME
            Uses the same DATABASE_URL / DATA_DIR as the server.""";

    private AdminCommands() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !(args[0].equals("grant") || args[0].equals("reset-password"))) {
            err.println(USAGE);
            return 2;
        }
        String username = args[1];
        try (CliDatabase database = CliDatabase.open(); Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            UUID userId = findUser(connection, username);
            if (userId == null) {
                err.println("No account named '" + username + "'.");
                return 1;
            }
            if (args[0].equals("grant")) {
                grant(connection, userId, username);
                connection.commit();
                err.println(username + " is now an administrator (and active).");
            } else {
                String password = Secrets.newPassword();
                resetPassword(connection, userId, new BCryptPasswordEncoder(12).encode(password));
                connection.commit();
                err.println("Password of " + username + " reset and every session ended. One-time password "
                        + "(sign in with it, then change it in your profile):");
                out.println(password);
            }
            return 0;
        } catch (SQLException | RuntimeException e) {
            err.println("Failed: " + e.getMessage());
            return 1;
        }
    }

    private static UUID findUser(Connection connection, String username) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT id FROM users WHERE lower(username) = lower(?)")) {
            statement.setString(1, username);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        }
    }

    private static void grant(Connection connection, UUID userId, String username) throws SQLException {
        String before;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT json_build_object('role', role, 'status', CASE WHEN deactivated_at IS NULL THEN 'active' ELSE 'deactivated' END)::text FROM users WHERE id = ?")) {
            statement.setObject(1, userId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                before = rs.getString(1);
            }
        }
        update(connection, "UPDATE users SET role = 'admin', deactivated_at = NULL, updated_at = now() WHERE id = ?", userId);
        audit(connection, "cli_grant", userId, username, before, "{\"role\":\"admin\",\"status\":\"active\"}");
    }

    private static void resetPassword(Connection connection, UUID userId, String hash) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE users SET password_hash = ?, updated_at = now() WHERE id = ?")) {
            statement.setString(1, hash);
            statement.setObject(2, userId);
            statement.executeUpdate();
        }
        update(connection, "UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'password_reset' "
                + "WHERE user_id = ? AND revoked_at IS NULL", userId);
        update(connection, "UPDATE password_tokens SET used_at = now() WHERE user_id = ? AND used_at IS NULL", userId);
        audit(connection, "cli_reset_password", userId, null, null, null);
    }

    private static void update(Connection connection, String sql, UUID userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, userId);
            statement.executeUpdate();
        }
    }

    private static void audit(Connection connection, String action, UUID targetId, String target, String before,
                              String after) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO audit_events (action, actor_name, target_id, target, before, after)
                VALUES (?, 'command line', ?, ?, CAST(? AS jsonb), CAST(? AS jsonb))
                """)) {
            statement.setString(1, action);
            statement.setObject(2, targetId);
            statement.setString(3, target);
            statement.setString(4, before);
            statement.setString(5, after);
            statement.executeUpdate();
        }
    }
}
