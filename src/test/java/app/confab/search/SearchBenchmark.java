package app.confab.search;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import app.confab.ConfabApplication;
import app.confab.account.TokenService;
import app.confab.platform.DatabaseUrl;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Search latency over a generated corpus (docs/performance/search-feature-benchmark.md). Not a test: run it by
 * hand against a PostgreSQL server. It creates its own database, loads the corpus before the
 * search migration (so V6 builds its indexes over a full table, as an upgrade would), starts the
 * whole server on a free port, and measures {@code GET /api/messages/search} over real HTTP for a
 * mix of queries from users who see many and few messages. The database is dropped at the end
 * unless {@code --keep}; {@code --reuse} searches a database kept by an earlier run.
 *
 * <pre>
 * ./mvnw -o -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=app.confab.search.SearchBenchmark \
 *     -Dexec.args="--server=postgresql://postgres@127.0.0.1:5432/postgres --messages=1000000"
 * </pre>
 * The query mix and the per-kind report are meant to be reused by the load tool's search scenario.
 */
public final class SearchBenchmark {

    private static final String DATABASE = "confab_search_bench";
    /** Migrations before this one run before the corpus is loaded; this one and later ones after. */
    private static final int SEARCH_MIGRATION = 6;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Map<String, String> options;
    private final Random random = new Random(42);

    private SearchBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "true");
        }
        new SearchBenchmark(options).run();
        System.exit(0);
    }

    private String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private int intOption(String name, int fallback) {
        return Integer.parseInt(option(name, Integer.toString(fallback)));
    }

    private void run() throws Exception {
        DatabaseUrl server = DatabaseUrl.parse(option("server", "postgresql://postgres@127.0.0.1:5432/postgres"));
        String benchJdbcUrl = server.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + DATABASE + "$1");
        boolean reuse = options.containsKey("reuse");
        int messages = intOption("messages", 1_000_000);

        if (!reuse) {
            long started = System.nanoTime();
            recreateDatabase(server);
            migrateToJustBeforeSearch(benchJdbcUrl, server);
            loadCorpus(benchJdbcUrl, server, messages);
            log("corpus of %,d messages loaded in %.0f s", messages, seconds(started));
        }

        long booting = System.nanoTime();
        String databaseUrl = benchJdbcUrl + (server.username() == null ? "" : (benchJdbcUrl.contains("?") ? "&" : "?")
                + "user=" + server.username() + (server.password() == null ? "" : "&password=" + server.password()));
        List<String> serverArgs = new ArrayList<>(List.of(
                "--server.port=0", "--confab.database-url=" + databaseUrl, "--confab.redis-url=",
                "--confab.data-dir=" + System.getProperty("java.io.tmpdir") + "/confab-search-bench",
                "--confab.rate-limit.api-per-minute=1000000000", "--logging.level.root=WARN"));
        if (reuse) {
            // A kept database may predate edits to applied migrations while they are being tuned.
            serverArgs.add("--spring.flyway.validate-on-migrate=false");
        }
        ConfigurableApplicationContext context = SpringApplication.run(ConfabApplication.class,
                serverArgs.toArray(String[]::new));
        try {
            log("server up (search migration included) in %.0f s", seconds(booting));
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            long vacuuming = System.nanoTime();
            jdbc.sql("VACUUM ANALYZE messages").update();
            log("vacuum analyze in %.0f s", seconds(vacuuming));
            describeCorpus(jdbc);
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            List<Searcher> searchers = searchers(jdbc, context.getBean(TokenService.class));
            measure("http://localhost:" + port, searchers);
        } finally {
            context.close();
            if (!options.containsKey("keep")) {
                dropDatabase(server);
                log("dropped database %s", DATABASE);
            }
        }
    }

    // ---- corpus -------------------------------------------------------------------------------

    private static void recreateDatabase(DatabaseUrl server) throws SQLException {
        dropDatabase(server);
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        }
    }

    private static void dropDatabase(DatabaseUrl server) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
    }

    private static void migrateToJustBeforeSearch(String jdbcUrl, DatabaseUrl server) {
        Function<String, Flyway> flyway = target -> Flyway.configure()
                .dataSource(jdbcUrl, server.username(), server.password())
                .locations("classpath:db/migration").target(target).load();
        String lastBeforeSearch = Arrays.stream(flyway.apply("latest").info().all())
                .map(MigrationInfo::getVersion)
                .filter(version -> version.isNewerThan("0") && !version.isAtLeast(Integer.toString(SEARCH_MIGRATION)))
                .reduce((a, b) -> b.isNewerThan(a.getVersion()) ? b : a)
                .map(MigrationVersion::getVersion)
                .orElseThrow();
        flyway.apply(lastBeforeSearch).migrate();
    }

    private void loadCorpus(String jdbcUrl, DatabaseUrl server, int messages) throws SQLException, IOException {
        String script;
        try (InputStream in = SearchBenchmark.class.getResourceAsStream("/search-bench/corpus.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl, server.username(), server.password());
             Statement statement = connection.createStatement()) {
            statement.execute("SET bench.users = " + intOption("users", 2000));
            statement.execute("SET bench.groups = " + intOption("groups", 300));
            statement.execute("SET bench.directs = " + intOption("directs", 3000));
            statement.execute("SET bench.messages = " + messages);
            statement.execute("SET bench.password_hash = 'not-a-password-hash'");
            statement.execute(script);
        }
    }

    private static void describeCorpus(JdbcClient jdbc) {
        jdbc.sql("""
                SELECT count(*) AS messages,
                       pg_size_pretty(pg_table_size('messages')) AS heap,
                       pg_size_pretty(pg_relation_size('messages_search_vector')) AS vector_index,
                       pg_size_pretty(pg_relation_size('messages_search_trigram')) AS trigram_index,
                       (SELECT count(*) FROM chats) AS chats, (SELECT count(*) FROM users) AS users
                FROM messages
                """).query((rs, n) -> {
            log("corpus: %,d messages in %,d chats by %,d users; table %s, word index %s, trigram index %s",
                    rs.getLong("messages"), rs.getLong("chats"), rs.getLong("users"), rs.getString("heap"),
                    rs.getString("vector_index"), rs.getString("trigram_index"));
            return null;
        }).list();
    }

    // ---- who searches ---------------------------------------------------------------------------

    /** A user who searches, with what they may see; {@code heavy} users see the most messages. */
    record Searcher(String kind, String username, String token, List<String> chatSlugs, long visibleMessages) {
    }

    private List<Searcher> searchers(JdbcClient jdbc, TokenService tokens) {
        record Visible(UUID userId, String username, long messages) {
        }
        List<Visible> byVisible = jdbc.sql("""
                SELECT u.id, u.username, sum(c.messages) AS messages
                FROM users u
                JOIN chat_participants cp ON cp.user_id = u.id AND cp.left_at IS NULL
                JOIN (SELECT chat_id, count(*) AS messages FROM messages GROUP BY chat_id) c ON c.chat_id = cp.chat_id
                GROUP BY u.id, u.username
                ORDER BY messages DESC
                """).query((rs, n) -> new Visible(rs.getObject(1, UUID.class), rs.getString(2), rs.getLong(3))).list();
        List<Searcher> searchers = new ArrayList<>();
        for (int i = 0; i < byVisible.size(); i++) {
            boolean heavy = i < 5;
            boolean typical = i >= byVisible.size() / 4 && i % (byVisible.size() / 10) == 0;
            if (!heavy && !typical) {
                continue;
            }
            Visible user = byVisible.get(i);
            UUID sessionId = UUID.randomUUID();
            jdbc.sql("""
                    INSERT INTO auth_sessions (id, user_id, current_token_id, expires_at)
                    VALUES (:id, :user, :token, now() + interval '1 day')
                    """).param("id", sessionId).param("user", user.userId()).param("token", UUID.randomUUID()).update();
            List<String> slugs = jdbc.sql("""
                    SELECT c.slug FROM chats c JOIN chat_participants cp ON cp.chat_id = c.id
                    WHERE cp.user_id = :user AND c.slug IS NOT NULL ORDER BY c.slug
                    """).param("user", user.userId()).query(String.class).list();
            searchers.add(new Searcher(heavy ? "heavy" : "typical", user.username(),
                    tokens.accessToken(user.userId(), sessionId), slugs, user.messages()));
        }
        for (Searcher searcher : searchers) {
            log("searcher %-16s %-7s sees %,7d messages in %d named chats", searcher.username(), searcher.kind(),
                    searcher.visibleMessages(), searcher.chatSlugs().size());
        }
        return searchers;
    }

    // ---- the query mix --------------------------------------------------------------------------

    /** One kind of search, and how to make a concrete one for a searcher. */
    record QueryKind(String name, Function<Searcher, String> parameters) {
    }

    private List<QueryKind> queryMix() {
        return List.of(
                new QueryKind("common word", s -> q(pick("meeting", "deploy", "review", "today", "server", "release"))),
                new QueryKind("two words", s -> q(pick("deploy production", "review branch", "customer call",
                        "database migration", "alert latency"))),
                new QueryKind("rare word", s -> q(pick("anniversary", "kudos", "farewell", "keynote", "podcast",
                        "CONF-" + (1 + random.nextInt(20_000))))),
                new QueryKind("as you type", s -> q(pick("depl", "migr", "kube", "screensh", "certif", "rollb"))),
                new QueryKind("phrase", s -> q(pick("\"deploy production\"", "\"code review\"", "\"customer call\"",
                        "\"database query\""))),
                new QueryKind("exclusion", s -> q(pick("deploy -production", "meeting -tomorrow", "bug -fixed"))),
                new QueryKind("from: filter", s -> q(pick("deploy", "review", "meeting") + " from:bench_user_"
                        + random.nextInt(2000))),
                new QueryKind("in: filter", s -> q(pick("release", "meeting", "incident") + " in:"
                        + (s.chatSlugs().isEmpty() ? "nowhere" : s.chatSlugs().get(random.nextInt(s.chatSlugs().size()))))),
                new QueryKind("has:image", s -> q(pick("screenshot", "review", "dashboard") + " has:image")),
                new QueryKind("date range", s -> q(pick("outage", "deploy", "budget") + " after:"
                        + java.time.LocalDate.now().minusDays(400) + " before:" + java.time.LocalDate.now().minusDays(300))),
                new QueryKind("CJK", s -> q(pick("会議", "数据库", "デプロイ", "项目进度", "東京", "회의"))),
                new QueryKind("part of word", s -> q(pick("ployment", "ashboard", "igration", "frastruct"))),
                new QueryKind("no match", s -> q(pick("xylophone", "quantum entanglement", "zzyzx"))),
                new QueryKind("relevance", s -> q(pick("deploy review", "meeting notes", "server error")) + "&sort=relevance"),
                new QueryKind("filter only", s -> q(pick("has:image", "from:me")))
        );
    }

    private String pick(String... values) {
        return values[random.nextInt(values.length)];
    }

    private static String q(String query) {
        return "q=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
    }

    // ---- measuring ------------------------------------------------------------------------------

    private record Sample(String kind, String searcherKind, long micros, int total, String path) {
    }

    private void measure(String baseUrl, List<Searcher> searchers) throws Exception {
        int warmup = intOption("warmup", 300);
        int queries = intOption("queries", 3000);
        int concurrency = intOption("concurrency", 1);
        List<QueryKind> mix = queryMix();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        List<String[]> plan = new ArrayList<>();
        for (int i = 0; i < warmup + queries; i++) {
            Searcher searcher = searchers.get(random.nextInt(searchers.size()));
            QueryKind kind = mix.get(i % mix.size());
            plan.add(new String[]{kind.name(), searcher.kind(), searcher.token(),
                    "/api/messages/search?" + kind.parameters().apply(searcher)});
        }
        List<Sample> samples = new ArrayList<>();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<Sample>>> futures = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                futures.add(workers.submit(() -> {
                    List<Sample> mine = new ArrayList<>();
                    for (int i = next.getAndIncrement(); i < plan.size(); i = next.getAndIncrement()) {
                        String[] step = plan.get(i);
                        Sample sample = searchOnce(http, baseUrl, step, failures);
                        if (sample != null && i >= warmup) {
                            mine.add(sample);
                        }
                    }
                    return mine;
                }));
            }
            for (Future<List<Sample>> future : futures) {
                samples.addAll(future.get());
            }
        }
        double elapsed = seconds(started);
        report(samples, mix, failures, concurrency, elapsed);
    }

    private static Sample searchOnce(HttpClient http, String baseUrl, String[] step, Map<String, Integer> failures) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + step[3]))
                .header("Authorization", "Bearer " + step[2]).timeout(Duration.ofSeconds(30)).GET().build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long micros = (System.nanoTime() - start) / 1000;
            if (response.statusCode() != 200) {
                failures.merge(step[0] + " -> " + response.statusCode(), 1, Integer::sum);
                return null;
            }
            JsonNode body = JSON.readTree(response.body());
            return new Sample(step[0], step[1], micros, body.path("total").asInt(), step[3]);
        } catch (Exception e) {
            failures.merge(step[0] + " -> " + e.getClass().getSimpleName(), 1, Integer::sum);
            return null;
        }
    }

    private static void report(List<Sample> samples, List<QueryKind> mix, Map<String, Integer> failures,
                               int concurrency, double elapsed) {
        System.out.println();
        System.out.printf("%d searches, concurrency %d, %.1f searches/s%n", samples.size(), concurrency, samples.size() / elapsed);
        System.out.printf("%-14s %7s %8s %8s %8s %8s %10s%n", "kind", "count", "p50 ms", "p95 ms", "p99 ms", "max ms", "avg total");
        for (QueryKind kind : mix) {
            row(kind.name(), samples.stream().filter(s -> s.kind().equals(kind.name())).toList());
        }
        row("heavy users", samples.stream().filter(s -> s.searcherKind().equals("heavy")).toList());
        row("typical users", samples.stream().filter(s -> s.searcherKind().equals("typical")).toList());
        row("ALL", samples);
        if (!failures.isEmpty()) {
            System.out.println("failures: " + failures);
        }
        System.out.println("slowest:");
        samples.stream().sorted((a, b) -> Long.compare(b.micros(), a.micros())).limit(8)
                .forEach(s -> System.out.printf("  %7.1f ms  %-7s total=%-5d %s%n", s.micros() / 1000.0,
                        s.searcherKind(), s.total(), URLDecodedPath.of(s.path())));
    }

    private static void row(String name, List<Sample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        long[] micros = samples.stream().mapToLong(Sample::micros).sorted().toArray();
        double averageTotal = samples.stream().mapToInt(Sample::total).average().orElse(0);
        System.out.printf("%-14s %7d %8.1f %8.1f %8.1f %8.1f %10.0f%n", name, micros.length,
                percentile(micros, 50), percentile(micros, 95), percentile(micros, 99),
                micros[micros.length - 1] / 1000.0, averageTotal);
    }

    private static double percentile(long[] sortedMicros, double percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, Math.min(index, sortedMicros.length - 1))] / 1000.0;
    }

    private static final class URLDecodedPath {
        static String of(String path) {
            return java.net.URLDecoder.decode(path.replace("/api/messages/search?", ""), StandardCharsets.UTF_8);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.printf("[search-bench] " + format + "%n", args);
    }
}
