package app.confab.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line flags: {@code --name value}, {@code --name=value}, or a bare {@code --name} (true).
 * Maven's exec plugin hands every flag over as one argument, so a single argument holding spaces is
 * split first. Each scenario supplies its own defaults; flags override them.
 */
public final class Options {

    static final String USAGE = """
            Confab load tool — see docs/PERFORMANCE.md.
              ./mvnw -Pload test-compile exec:exec -Dload.args="--scenario seed --url http://localhost:18090"

            Scenarios (--scenario):
              seed        1,000 users, 50 msg/s for 60 s, direct chats and groups of 10 (docs/PERFORMANCE.md)
              throughput  raises the rate stepwise until p99 passes --p99-limit or a message is lost
              fanout      100 msg/s into groups of 300
              connections opens idle WebSocket connections up to --connections, reads server heap
              search      search latency over a corpus of --corpus messages (made with --db-url)
              upload      uploads --image-mb MB images --uploads times
              chaos       conversation load while --faults scripts run in turn, one every --fault-interval s
              compare     --shape seed|fanout against ejabberd (Debian's, tools/ejabberd/ejabberd.yml) and then
                          a fresh Confab (java -jar target/confab.jar, embedded PostgreSQL), one report of both

            Common flags:
              --url URL               server (default http://localhost:8080)
              --prefix NAME           names of the tool's users and chats (default lt)
              --out DIR               where reports go (default target/load)
              --db-url URL            the server's database: create users by SQL (cheap bcrypt hash, then
                                      real logins) and the search corpus by bulk insert
              --users N --rate R --duration SECONDS --group-size N --groups N --message-bytes N
              --drain SECONDS         how long to wait for late deliveries (default 15)
              --auth header|frame     how connections authenticate (default header)
              --source-addresses N    spread connections over 127.0.0.1..N (default 1)
              --http-clients N        WebSocket client instances (selector threads, default 2)
              --server-pid PID        read the server's CPU/RSS from /proc and GC it via jcmd; PID,PID,... for
                                      several nodes: their CPU summed (throughput, seed, fanout)
              --pg-pid PID            PostgreSQL postmaster: its CPU (with its backends) is reported
            Gates (exit code 0 met, 1 missed, 2 the run failed):
              --p99-limit MS          every latency series' p99 must be at most MS (throughput: its step limit)
              --min-delivery PCT      at least PCT% (or a fraction <= 1) of expected deliveries arrive
                                      (without either flag, the scenario's own goal is the gate)
              --prometheus FILE       also write the figures in Prometheus text format (textfile collector)
            throughput: --start-rate --step --step-duration --max-rate --p99-limit (ms)
            connections: --connections --batch --hold
            search: --corpus --queries --concurrency --search-chats
            upload: --image-mb --uploads --image-format jpeg|png
            chaos: --faults a.sh,b.sh,... --fault-interval SECONDS (default 20); after sending, waits until
                   nothing arrived for --quiet SECONDS (default 30), at most --drain (default 600);
                   exits 1 when an acknowledged message was lost, duplicated or out of order
            compare: --shape seed|fanout (default seed) --confab-jar FILE (default target/confab.jar)
                     --confab-url URL (a running Confab instead) --ejabberd-config DIR (default tools/ejabberd)
                     --confab-aot FILE|none (default target/confab.aot when present) --register-users (through
                     the API, bcrypt cost 12, instead of by SQL into the started server's embedded database);
                     the gates apply to Confab's run
            """;

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> defaults = new LinkedHashMap<>();

    private Options() {
    }

    public static Options parse(String... args) {
        List<String> tokens = new ArrayList<>();
        for (String arg : args) {
            for (String part : arg.trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    tokens.add(part);
                }
            }
        }
        Options options = new Options();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (!token.startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument: " + token + "\n" + USAGE);
            }
            String name = token.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                options.values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < tokens.size() && !tokens.get(i + 1).startsWith("--")) {
                options.values.put(name, tokens.get(++i));
            } else {
                options.values.put(name, "true");
            }
        }
        return options;
    }

    /** Sets a scenario default; a flag given on the command line wins. */
    public Options defaultTo(String name, Object value) {
        defaults.putIfAbsent(name, String.valueOf(value));
        return this;
    }

    public Options set(String name, Object value) {
        values.put(name, String.valueOf(value));
        return this;
    }

    public boolean has(String name) {
        return values.containsKey(name) || defaults.containsKey(name);
    }

    public String string(String name, String fallback) {
        String value = values.get(name);
        if (value == null) {
            value = defaults.get(name);
        }
        return value == null ? fallback : value;
    }

    public int integer(String name, int fallback) {
        String value = string(name, null);
        return value == null ? fallback : Integer.parseInt(value.replace("_", "").replace(",", ""));
    }

    public double number(String name, double fallback) {
        String value = string(name, null);
        return value == null ? fallback : Double.parseDouble(value);
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(string(name, "false"));
    }

    public Duration seconds(String name, double fallback) {
        return Duration.ofMillis(Math.round(number(name, fallback) * 1000));
    }

    /** Every effective setting, for the report. */
    public Map<String, String> effective() {
        Map<String, String> all = new LinkedHashMap<>(defaults);
        all.putAll(values);
        return all;
    }
}
