package app.confab.platform;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;

/**
 * Times every statement run through a pool wrapped by datasource-proxy, as docs/subsystems/operations.md, "Metrics" names it:
 * {@code database_query_duration_seconds{query_type}} (plus {@code database}: primary or replica).
 * The work per statement is a look at the statement's first keyword and one histogram update.
 */
final class QueryTimer implements QueryExecutionListener {

    static final List<String> QUERY_TYPES = List.of("select", "insert", "update", "delete", "other");

    private static final String STARTED = "confab.queryStarted";
    private static final Pattern WRITE_IN_CTE = Pattern.compile("\\b(insert|update|delete)\\b", Pattern.CASE_INSENSITIVE);
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(500), Duration.ofSeconds(1)};

    private final Map<String, Timer> timers = new HashMap<>();

    QueryTimer(MeterRegistry registry, String database) {
        for (String type : QUERY_TYPES) {
            timers.put(type, Timer.builder("database.query.duration")
                    .description("Duration of database statements")
                    .tag("query_type", type)
                    .tag("database", database)
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry));
        }
    }

    @Override
    public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {
        execution.addCustomValue(STARTED, System.nanoTime());
    }

    @Override
    public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
        Long started = execution.getCustomValue(STARTED, Long.class);
        if (started == null || queries.isEmpty()) {
            return;
        }
        timers.get(queryType(queries.getFirst().getQuery())).record(Duration.ofNanos(System.nanoTime() - started));
    }

    /** The statement's kind from its first keyword; a WITH query counts as the write it contains, if any. */
    static String queryType(String sql) {
        int i = skipSpaceAndComments(sql, 0);
        int start = i;
        while (i < sql.length() && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        String keyword = sql.substring(start, i).toLowerCase(Locale.ROOT);
        return switch (keyword) {
            case "select", "insert", "update", "delete" -> keyword;
            case "with" -> {
                var write = WRITE_IN_CTE.matcher(sql);
                yield write.find() ? write.group(1).toLowerCase(Locale.ROOT) : "select";
            }
            default -> "other";
        };
    }

    private static int skipSpaceAndComments(String sql, int from) {
        int i = from;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
            } else {
                break;
            }
        }
        return i;
    }
}
