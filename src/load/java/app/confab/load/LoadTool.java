package app.confab.load;

import java.nio.file.Path;
import java.util.List;

/**
 * Confab's load generator: real users, real chats, real WebSocket connections, against any running
 * Confab. One JVM; connections share a few callback threads; latencies go into HdrHistograms.
 * See docs/PERFORMANCE.md for the scenarios, the commands and the figures they produced.
 */
public final class LoadTool {

    private LoadTool() {
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line and returns the exit code: {@link Gate#PASSED} (0) when the run met its
     * thresholds, {@link Gate#MISSED} (1) when it missed one, {@link Gate#FAILED} (2) when it could
     * not run (bad arguments, server unreachable), so a pipeline can gate on it.
     */
    static int execute(String... args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (RuntimeException e) {
            System.err.println("load tool: " + e.getMessage());
            return Gate.FAILED;
        }
        if (options.flag("help") || !options.has("scenario")) {
            System.out.println(Options.USAGE);
            return options.flag("help") ? Gate.PASSED : Gate.FAILED;
        }
        if ("compare".equals(options.string("scenario", ""))) {
            return compare(options, "./mvnw -Pload test-compile exec:exec -Dload.args=\"" + String.join(" ", args) + "\"");
        }
        Report report;
        try {
            report = run(options);
        } catch (RuntimeException e) {
            System.err.println("load tool: the run failed: " + e);
            return Gate.FAILED;
        }
        System.out.println(report.text());
        Path base = report.write(Path.of(options.string("out", "target/load")));
        System.out.println("report: " + base + ".json, " + base + ".html");
        List<String> misses = Gate.misses(report, options);
        if (options.has("prometheus")) {
            Path metrics = Path.of(options.string("prometheus", "target/load/load.prom"));
            Gate.writePrometheus(metrics, report, misses);
            System.out.println("prometheus: " + metrics);
        }
        if (misses.isEmpty()) {
            System.out.println("THRESHOLDS MET");
            return Gate.PASSED;
        }
        misses.forEach(miss -> System.out.println("THRESHOLD MISSED: " + miss));
        return Gate.MISSED;
    }

    /** {@code --scenario compare}: ejabberd and Confab back to back (see {@link CompareScenario}); gates Confab's run. */
    static int compare(Options options, String command) {
        CompareScenario.Result result;
        try {
            result = CompareScenario.run(options, command);
        } catch (RuntimeException e) {
            System.err.println("load tool: the comparison failed: " + e);
            return Gate.FAILED;
        }
        try {
            System.out.println(java.nio.file.Files.readString(result.markdown()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.out.println("report: " + result.markdown() + ", " + result.json());
        if (result.confabMisses().isEmpty()) {
            System.out.println("THRESHOLDS MET");
            return Gate.PASSED;
        }
        result.confabMisses().forEach(miss -> System.out.println("THRESHOLD MISSED: " + miss));
        return Gate.MISSED;
    }

    /** Runs one scenario and returns its report (the terminal, JSON and HTML are the caller's). */
    public static Report run(Options options) {
        String scenario = options.string("scenario", "seed");
        try (LoadContext context = new LoadContext(options)) {
            Report report = switch (scenario) {
                case "seed" -> MessageScenarios.seed(context);
                case "throughput" -> MessageScenarios.throughput(context);
                case "fanout" -> MessageScenarios.fanout(context);
                case "connections" -> ConnectionsScenario.run(context);
                case "search" -> SearchScenario.run(context);
                case "upload" -> UploadScenario.run(context);
                case "chaos" -> MessageScenarios.chaos(context);
                default -> throw new IllegalArgumentException("Unknown scenario " + scenario + "\n" + Options.USAGE);
            };
            report.options = options.effective();
            report.put("Server", context.api().baseUrl());
            return report;
        }
    }
}
