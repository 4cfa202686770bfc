package app.confab.admin;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.attachment.MessageAttachments;
import app.confab.message.MessageRedaction;
import app.confab.platform.AuditLog;
import tools.jackson.databind.ObjectMapper;

/**
 * Message retention: with {@code messageRetentionDays} set, deletes messages older than that, their
 * files and the stream events about them, and audit entries older than {@code auditRetentionDays}.
 * Runs daily on one node (claimed in the database), in small batches each in its own short
 * transaction that never takes the stream's position lock, so sending goes on meanwhile.
 */
@Service
public class RetentionService {

    private static final Logger log = LoggerFactory.getLogger(RetentionService.class);
    static final int BATCH = 200;
    private static final Duration PERIOD = Duration.ofHours(23);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final MessageAttachments attachments;
    private final MessageRedaction redaction;
    private final SettingsService settings;
    private final SettingsRepository settingsRepository;
    private final ObjectMapper json;
    private final AuditLog audit;
    private final Clock clock;

    RetentionService(JdbcClient jdbc, TransactionTemplate transactions, MessageAttachments attachments,
                     MessageRedaction redaction,
                     SettingsService settings, SettingsRepository settingsRepository, ObjectMapper json, AuditLog audit,
                     Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.attachments = attachments;
        this.redaction = redaction;
        this.settings = settings;
        this.settingsRepository = settingsRepository;
        this.json = json;
        this.audit = audit;
        this.clock = clock;
    }

    /** What one run did; kept as {@code retention.last_run} and shown in settings and stats. */
    public record RunReport(Instant startedAt, Instant finishedAt, Integer retentionDays, Instant cutoff,
                            long messagesDeleted, long filesDeleted, long eventsDeleted, long auditEntriesDeleted) {
    }

    @Scheduled(initialDelayString = "PT5M", fixedDelayString = "PT1H")
    void daily() {
        try {
            if (settingsRepository.claim(SettingsRepository.RETENTION_CLAIM, clock.instant().getEpochSecond(), PERIOD.toSeconds())) {
                runNow();
            }
        } catch (RuntimeException e) {
            log.warn("Retention run failed; will retry", e);
        }
    }

    public Optional<RunReport> lastRun() {
        return settingsRepository.read(SettingsRepository.RETENTION_LAST_RUN).map(value -> json.readValue(value, RunReport.class));
    }

    /** One full run now (the daily job, or an administrator's "run now"). */
    public RunReport runNow() {
        Instant started = clock.instant();
        AdminSettings current = settings.current();
        Integer days = current.messageRetentionDays();
        Instant cutoff = days == null ? null : started.minus(Duration.ofDays(days));
        long messages = 0;
        long files = 0;
        long events = 0;
        if (cutoff != null) {
            while (true) {
                long[] batch = deleteBatch(cutoff);
                if (batch == null) {
                    break;
                }
                messages += batch[0];
                files += batch[1];
                events += batch[2];
            }
        }
        long auditDeleted = jdbc.sql("DELETE FROM audit_events WHERE at < :cutoff")
                .param("cutoff", Timestamp.from(started.minus(Duration.ofDays(current.auditRetentionDays()))))
                .update();
        RunReport report = new RunReport(started, clock.instant(), days, cutoff, messages, files, events, auditDeleted);
        settingsRepository.write(SettingsRepository.RETENTION_LAST_RUN, json.writeValueAsString(report));
        audit.store("retention_run", null, null, "retention", null, null,
                java.util.Map.of("messagesDeleted", messages, "filesDeleted", files, "eventsDeleted", events,
                        "auditEntriesDeleted", auditDeleted));
        if (messages > 0) {
            log.info("Retention removed {} messages, {} files, {} events older than {}", messages, files, events, cutoff);
        }
        return report;
    }

    private record Doomed(UUID id, UUID chatId, long position) {
    }

    /** {messages, files, events} removed, or null when nothing older than the cutoff is left. */
    private long[] deleteBatch(Instant cutoff) {
        return transactions.execute(status -> {
            List<Doomed> doomed = jdbc.sql("""
                    SELECT id, chat_id, position FROM messages WHERE created_at < :cutoff
                    ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED
                    """)
                    .param("cutoff", Timestamp.from(cutoff))
                    .param("limit", BATCH)
                    .query((rs, n) -> new Doomed(rs.getObject("id", UUID.class), rs.getObject("chat_id", UUID.class),
                            rs.getLong("position")))
                    .list();
            if (doomed.isEmpty()) {
                return null;
            }
            String ids = doomed.stream().map(d -> d.id().toString()).collect(Collectors.joining(",", "{", "}"));
            long files = jdbc.sql("SELECT count(*) FROM attachments WHERE message_id = ANY(CAST(:ids AS uuid[])) AND deleted_at IS NULL")
                    .param("ids", ids).query(Long.class).single();
            for (Doomed message : doomed) {
                attachments.messageDeleted(message.id());
            }
            // The same redaction as a user's delete: the events about them go (their message:deleted
            // too: nobody deleted them in the chat, they age out), and replies' previews lose their text.
            long events = redaction.expired(doomed.stream().map(Doomed::id).toList());
            long messages = jdbc.sql("DELETE FROM messages WHERE id = ANY(CAST(:ids AS uuid[]))").param("ids", ids).update();
            return new long[] {messages, files, events};
        });
    }
}
