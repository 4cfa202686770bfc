package app.confab.admin;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Deployment statistics for the admin console. */
@Service
class StatsService {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final RetentionService retention;

    StatsService(JdbcClient jdbc, Clock clock, RetentionService retention) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.retention = retention;
    }

    record UserStats(long total, long deactivated, long admins, long active1d, long active7d, long active30d) {
    }

    record DayCount(LocalDate day, long messages) {
    }

    record Stats(UserStats users, long chats, long messages, List<DayCount> messagesPerDay, long storageUsedBytes,
                 long databaseSizeBytes, RetentionService.RunReport lastRetentionRun) {
    }

    Stats stats() {
        Instant now = clock.instant();
        // "Active": signed in or refreshed a token (sessions), or seen online, within the window.
        UserStats users = jdbc.sql("""
                SELECT count(*) AS total,
                       count(*) FILTER (WHERE deactivated_at IS NOT NULL) AS deactivated,
                       count(*) FILTER (WHERE role = 'admin' AND deactivated_at IS NULL) AS admins,
                       count(*) FILTER (WHERE last_active > :d1) AS a1,
                       count(*) FILTER (WHERE last_active > :d7) AS a7,
                       count(*) FILTER (WHERE last_active > :d30) AS a30
                FROM (SELECT u.role, u.deactivated_at,
                             GREATEST(u.last_seen, (SELECT max(s.last_used_at) FROM auth_sessions s WHERE s.user_id = u.id)) AS last_active
                      FROM users u) x
                """)
                .param("d1", Timestamp.from(now.minus(Duration.ofDays(1))))
                .param("d7", Timestamp.from(now.minus(Duration.ofDays(7))))
                .param("d30", Timestamp.from(now.minus(Duration.ofDays(30))))
                .query((rs, n) -> new UserStats(rs.getLong("total"), rs.getLong("deactivated"), rs.getLong("admins"),
                        rs.getLong("a1"), rs.getLong("a7"), rs.getLong("a30")))
                .single();
        long chats = jdbc.sql("SELECT count(*) FROM chats WHERE NOT is_deleted").query(Long.class).single();
        long messages = jdbc.sql("SELECT count(*) FROM messages WHERE NOT is_deleted").query(Long.class).single();
        List<DayCount> perDay = jdbc.sql("""
                SELECT CAST(date_trunc('day', created_at AT TIME ZONE 'UTC') AS date) AS day, count(*) AS n
                FROM messages WHERE created_at > :since AND NOT is_deleted
                GROUP BY 1 ORDER BY 1
                """)
                .param("since", Timestamp.from(now.minus(Duration.ofDays(30))))
                .query((rs, n) -> new DayCount(rs.getDate("day").toLocalDate(), rs.getLong("n")))
                .list();
        long storage = jdbc.sql("""
                SELECT COALESCE(sum(size_bytes + COALESCE(medium_size, 0) + COALESCE(thumbnail_size, 0)), 0)
                FROM attachments WHERE deleted_at IS NULL
                """).query(Long.class).single();
        long databaseSize = jdbc.sql("SELECT pg_database_size(current_database())").query(Long.class).single();
        return new Stats(users, chats, messages, perDay, storage, databaseSize, retention.lastRun().orElse(null));
    }
}
