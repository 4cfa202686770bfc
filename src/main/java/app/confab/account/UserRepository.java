package app.confab.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class UserRepository {

    private static final String COLUMNS = """
            id, username, password_hash, display_name, avatar_url, status, last_seen, created_at, updated_at""";

    private final JdbcClient jdbc;

    public UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a user; empty when the username (case-insensitive) is taken. */
    public Optional<UserRow> insert(String username, String passwordHash, String displayName) {
        return jdbc.sql("""
                INSERT INTO users (username, password_hash, display_name) VALUES (:username, :hash, :displayName)
                ON CONFLICT DO NOTHING
                RETURNING %s
                """.formatted(COLUMNS))
                .param("username", username)
                .param("hash", passwordHash)
                .param("displayName", displayName)
                .query(UserRepository::map)
                .optional();
    }

    public Optional<UserRow> findById(UUID id) {
        return jdbc.sql("SELECT %s FROM users WHERE id = :id".formatted(COLUMNS))
                .param("id", id)
                .query(UserRepository::map)
                .optional();
    }

    public Optional<UserRow> findByUsername(String username) {
        return jdbc.sql("SELECT %s FROM users WHERE lower(username) = lower(:username)".formatted(COLUMNS))
                .param("username", username)
                .query(UserRepository::map)
                .optional();
    }

    static UserRow map(ResultSet rs, int rowNum) throws SQLException {
        return new UserRow(
                rs.getObject("id", UUID.class),
                rs.getString("username"),
                rs.getString("password_hash"),
                rs.getString("display_name"),
                rs.getString("avatar_url"),
                rs.getString("status"),
                instant(rs.getTimestamp("last_seen")),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")));
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
