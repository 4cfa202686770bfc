package app.confab.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a CI job or a release check gates on: the thresholds a run must meet ({@code --p99-limit}
 * milliseconds on every latency series, {@code --min-delivery} as a percentage, e.g. 99.9, or a
 * fraction, e.g. 0.999, of the expected deliveries), else the scenario's own goal; and the figures
 * as Prometheus text ({@code --prometheus FILE}) for a Pushgateway or node-exporter's textfile
 * collector, so dashboards can plot runs over time.
 */
final class Gate {

    /** Exit codes of the load tool: 0 all thresholds met, 1 a threshold missed, 2 the run failed. */
    static final int PASSED = 0;
    static final int MISSED = 1;
    static final int FAILED = 2;

    private Gate() {
    }

    /** Every threshold the report misses, one sentence each; empty when it meets them all. */
    static List<String> misses(Report report, Options options) {
        List<String> misses = new ArrayList<>();
        boolean explicit = false;
        // throughput uses --p99-limit to choose its steps; its table already holds only steps within it.
        if (options.has("p99-limit") && !"throughput".equals(report.scenario)) {
            explicit = true;
            double limit = options.number("p99-limit", Double.MAX_VALUE);
            report.latencies.forEach((name, latency) -> {
                if (latency.count() > 0 && latency.p99() > limit) {
                    misses.add(String.format(Locale.ROOT, "p99 of %s is %.2f ms, above --p99-limit %.2f ms", name, latency.p99(), limit));
                }
            });
        }
        if (options.has("min-delivery")) {
            explicit = true;
            double wanted = options.number("min-delivery", 100);
            double wantedPercent = wanted <= 1 ? wanted * 100 : wanted;
            Object expected = report.get("Deliveries expected");
            Object received = report.get("Deliveries received");
            if (!(expected instanceof Number e) || !(received instanceof Number r)) {
                misses.add("--min-delivery given, but scenario " + report.scenario + " does not deliver messages");
            } else {
                double percent = e.longValue() == 0 ? 100.0 : 100.0 * r.doubleValue() / e.doubleValue();
                if (percent < wantedPercent) {
                    misses.add(String.format(Locale.ROOT, "delivery is %.3f%% (%d of %d), below --min-delivery %.3f%%",
                            percent, r.longValue(), e.longValue(), wantedPercent));
                }
            }
        }
        if (explicit && "chaos".equals(report.scenario) && !report.passed()) {
            // A lost, duplicated or reordered acknowledged message is not a threshold to tune: a chaos
            // run fails on it whatever --min-delivery or --p99-limit allowed.
            misses.add("chaos: an acknowledged message was lost, duplicated or delivered out of order (see the faults table)");
        }
        if (!explicit && !report.passed()) {
            misses.add("the scenario's goal was not met (see \"Goal\")");
        }
        return misses;
    }

    /** The report's figures in the Prometheus text exposition format (version 0.0.4). */
    static String prometheus(Report report, List<String> misses) {
        StringBuilder out = new StringBuilder();
        String scenario = label(report.scenario);
        out.append("# HELP confab_load_latency_seconds Latency percentiles of a load run, by series.\n");
        out.append("# TYPE confab_load_latency_seconds gauge\n");
        report.latencies.forEach((name, latency) -> {
            String series = label(name);
            for (Map.Entry<String, Double> quantile : Map.of("0.5", latency.p50(), "0.95", latency.p95(), "0.99", latency.p99(),
                    "1", latency.max()).entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
                out.append(String.format(Locale.ROOT, "confab_load_latency_seconds{scenario=\"%s\",series=\"%s\",quantile=\"%s\"} %s%n",
                        scenario, series, quantile.getKey(), seconds(quantile.getValue())));
            }
        });
        out.append("# HELP confab_load_latency_samples Number of latency samples of a load run, by series.\n");
        out.append("# TYPE confab_load_latency_samples gauge\n");
        report.latencies.forEach((name, latency) -> out.append(String.format(Locale.ROOT,
                "confab_load_latency_samples{scenario=\"%s\",series=\"%s\"} %d%n", scenario, label(name), latency.count())));
        out.append("# HELP confab_load_figure A numeric figure of a load run's summary, by name.\n");
        out.append("# TYPE confab_load_figure gauge\n");
        report.summary.forEach((name, value) -> {
            if (value instanceof Number number) {
                out.append(String.format(Locale.ROOT, "confab_load_figure{scenario=\"%s\",name=\"%s\"} %s%n",
                        scenario, label(name), number));
            }
        });
        out.append("# HELP confab_load_passed 1 when the run met every threshold, else 0.\n");
        out.append("# TYPE confab_load_passed gauge\n");
        out.append(String.format(Locale.ROOT, "confab_load_passed{scenario=\"%s\"} %d%n", scenario, misses.isEmpty() ? 1 : 0));
        out.append("# HELP confab_load_run_timestamp_seconds When the run started.\n");
        out.append("# TYPE confab_load_run_timestamp_seconds gauge\n");
        out.append(String.format(Locale.ROOT, "confab_load_run_timestamp_seconds{scenario=\"%s\"} %d%n", scenario,
                report.started.getEpochSecond()));
        return out.toString();
    }

    static void writePrometheus(Path file, Report report, List<String> misses) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            // Written whole then moved, so a textfile collector never reads half a file.
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.writeString(partial, prometheus(report, misses));
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String seconds(double millis) {
        return Double.toString(millis / 1000.0);
    }

    private static String label(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
