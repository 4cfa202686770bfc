package app.confab.load;

import java.nio.file.Path;

/**
 * Confab's load generator: real users, real chats, real WebSocket connections, against any running
 * Confab. One JVM; connections share a few callback threads; latencies go into HdrHistograms.
 * See docs/PERFORMANCE.md for the scenarios, the commands and the figures they produced.
 */
public final class LoadTool {

    private LoadTool() {
    }

    public static void main(String[] args) {
        Options options = Options.parse(args);
        if (options.flag("help") || !options.has("scenario")) {
            System.out.println(Options.USAGE);
            return;
        }
        Report report = run(options);
        System.out.println(report.text());
        Path base = report.write(Path.of(options.string("out", "target/load")));
        System.out.println("report: " + base + ".json, " + base + ".html");
        System.exit(0);
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
