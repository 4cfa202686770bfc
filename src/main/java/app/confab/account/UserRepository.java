package app.confab.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class UserRepository {

    private static final String COLUMNS = """
            id, username, password_hash, display_name, avatar_url, status, last_seen, created_at, updated_at, role,
            deactivated_at""";

    private final JdbcClient jdbc;

    public UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts a user; empty when the username (case-insensitive) is taken. The first account of a
     * deployment becomes its administrator; callers serialize registrations with
     * {@link #lockRegistrations()} so two first accounts cannot both be.
     */
    public Optional<UserRow> insert(String username, String passwordHash, String displayName) {
        return jdbc.sql("""
                INSERT INTO users (username, password_hash, display_name, role)
                SELECT :username, :hash, :displayName,
                       CASE WHEN EXISTS (SELECT 1 FROM users) THEN 'member' ELSE 'admin' END
                ON CONFLICT DO NOTHING
                RETURNING %s
                """.formatted(COLUMNS))
                .param("username", username)
                .param("hash", passwordHash)
                .param("displayName", displayName)
                .query(UserRepository::map)
                .optional();
    }

    /** An account made by single sign-on, linked to the provider's subject; empty when the username is taken. */
    public Optional<UserRow> insertLinked(String username, String passwordHash, String displayName, String issuer,
                                          String subject) {
        return jdbc.sql("""
                INSERT INTO users (username, password_hash, display_name, role, oidc_issuer, oidc_subject)
                SELECT :username, :hash, :displayName,
                       CASE WHEN EXISTS (SELECT 1 FROM users) THEN 'member' ELSE 'admin' END, :issuer, :subject
                ON CONFLICT DO NOTHING
                RETURNING %s
                """.formatted(COLUMNS))
                .param("username", username)
                .param("hash", passwordHash)
                .param("displayName", displayName)
                .param("issuer", issuer)
                .param("subject", subject)
                .query(UserRepository::map)
                .optional();
    }

    public Optional<UserRow> findByProviderSubject(String issuer, String subject) {
        return jdbc.sql("SELECT %s FROM users WHERE oidc_issuer = :issuer AND oidc_subject = :subject".formatted(COLUMNS))
                .param("issuer", issuer)
                .param("subject", subject)
                .query(UserRepository::map)
                .optional();
    }

    /** Transaction-scoped: held until the registering transaction ends. */
    public void lockRegistrations() {
        jdbc.sql("SELECT pg_advisory_xact_lock(4013001)").query((rs, n) -> 1).list();
    }

    public boolean anyUsers() {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM users)").query(Boolean.class).single();
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

    public void updateDisplayName(UUID id, String displayName, Instant now) {
        jdbc.sql("UPDATE users SET display_name = :displayName, updated_at = :now WHERE id = :id")
                .param("id", id)
                .param("displayName", displayName)
                .param("now", Timestamp.from(now))
                .update();
    }

    public void updatePassword(UUID id, String passwordHash, Instant now) {
        jdbc.sql("UPDATE users SET password_hash = :hash, updated_at = :now WHERE id = :id")
                .param("id", id)
                .param("hash", passwordHash)
                .param("now", Timestamp.from(now))
                .update();
    }

    public Optional<UserRow> updateAvatar(UUID id, String avatarUrl, Instant now) {
        return jdbc.sql("UPDATE users SET avatar_url = :avatarUrl, updated_at = :now WHERE id = :id RETURNING %s"
                        .formatted(COLUMNS))
                .param("id", id)
                .param("avatarUrl", avatarUrl)
                .param("now", Timestamp.from(now))
                .query(UserRepository::map)
                .optional();
    }

    /**
     * Users whose username or display name starts with {@code prefix} (case-insensitive), except
     * {@code excluded}, in username order after {@code afterUsername} (a lower-cased username: the
     * page cursor). Byte-order collation keeps the cursor comparison and the ORDER BY in agreement.
     */
    public List<UserRow> searchByPrefix(String prefix, UUID excluded, String afterUsername, int limit) {
        String pattern = escapeLike(prefix) + "%";
        return jdbc.sql("""
                SELECT %s FROM users
                WHERE (lower(username) LIKE lower(:pattern) ESCAPE '\\' OR lower(display_name) LIKE lower(:pattern) ESCAPE '\\')
                  AND id <> :excluded
                  AND deactivated_at IS NULL
                  AND lower(username) COLLATE "C" > :after
                ORDER BY lower(username) COLLATE "C"
                LIMIT :limit
                """.formatted(COLUMNS))
                .param("pattern", pattern)
                .param("excluded", excluded)
                .param("after", afterUsername == null ? "" : afterUsername)
                .param("limit", limit)
                .query(UserRepository::map)
                .list();
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
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
                instant(rs.getTimestamp("updated_at")),
                rs.getString("role"),
                instant(rs.getTimestamp("deactivated_at")));
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
