package app.confab.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * A scenario's result: the summary block (docs/PERFORMANCE.md, "The load tool") printed to the terminal, the same figures as JSON, and
 * a self-contained HTML page with inline SVG charts.
 */
public final class Report {

    /**
     * A latency series' figures in milliseconds. The one place where the tool's histograms (of
     * microseconds: {@link DeliveryTracker}, {@link Timeline}) become figures and text.
     */
    public record Latency(long count, double avg, double p50, double p95, double p99, double min, double max) {
        static Latency of(Histogram micros) {
            if (micros == null || micros.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0, 0, 0);
            }
            return new Latency(micros.getTotalCount(), round(micros.getMean() / 1000.0),
                    round(millis(micros, 50)), round(millis(micros, 95)), round(millis(micros, 99)),
                    round(micros.getMinValue() / 1000.0), round(millis(micros, 100)));
        }

        /** A percentile of a histogram of microseconds in milliseconds (100: its maximum); 0 when empty. */
        static double millis(Histogram micros, double percentile) {
            if (micros == null || micros.getTotalCount() == 0) {
                return 0;
            }
            return (percentile >= 100 ? micros.getMaxValue() : micros.getValueAtPercentile(percentile)) / 1000.0;
        }

        /** "p50 / p95 / p99 / max" in ms, as the compare table and the summary print them; "—" without samples. */
        String text() {
            return count == 0 ? "—"
                    : String.format(java.util.Locale.ROOT, "%.2f / %.2f / %.2f / %.1f", p50, p95, p99, max);
        }
    }

    public record Line(String name, String color, List<double[]> points) {
    }

    public record Chart(String title, String xLabel, String yLabel, List<Line> lines) {
    }

    final String scenario;
    final Instant started = Instant.now();
    final Map<String, Object> summary = new LinkedHashMap<>();
    final Map<String, Latency> latencies = new LinkedHashMap<>();
    String tableTitle;
    final List<Map<String, Object>> table = new ArrayList<>();
    final List<Chart> charts = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final List<Timeline.Second> timeline = new ArrayList<>();
    Map<String, Object> cpu = Map.of();
    Map<String, String> options = Map.of();
    boolean passed = true;

    public Report(String scenario) {
        this.scenario = scenario;
    }

    public Report put(String name, Object value) {
        summary.put(name, value);
        return this;
    }

    public Object get(String name) {
        return summary.get(name);
    }

    public Latency latency(String name) {
        return latencies.get(name);
    }

    public boolean passed() {
        return passed;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** The per-second figures as charts: latency percentiles, send rate, delivery rate. */
    void chartTimeline(List<Timeline.Second> seconds) {
        timeline.addAll(seconds);
        charts.add(new Chart("End-to-end latency per second", "seconds", "ms", List.of(
                line("p50", "#2b8a3e", seconds, Timeline.Second::p50),
                line("p95", "#1c7ed6", seconds, Timeline.Second::p95),
                line("p99", "#e8590c", seconds, Timeline.Second::p99),
                line("max", "#adb5bd", seconds, Timeline.Second::max))));
        charts.add(new Chart("Messages per second", "seconds", "msg/s", List.of(
                line("sent", "#1c7ed6", seconds, Timeline.Second::sentPerSecond),
                line("acked (stored)", "#2b8a3e", seconds, Timeline.Second::ackedPerSecond))));
        charts.add(new Chart("Deliveries per second", "seconds", "deliveries/s", List.of(
                line("delivered", "#7048e8", seconds, Timeline.Second::deliveredPerSecond))));
    }

    private static Line line(String name, String color, List<Timeline.Second> seconds,
                             java.util.function.ToDoubleFunction<Timeline.Second> value) {
        List<double[]> points = new ArrayList<>(seconds.size());
        for (Timeline.Second second : seconds) {
            points.add(new double[] {second.t(), value.applyAsDouble(second)});
        }
        return new Line(name, color, points);
    }

    // ---- terminal ---------------------------------------------------------------------------

    private static final String RULE = "─".repeat(63);

    public String text() {
        StringBuilder out = new StringBuilder();
        out.append(RULE).append('\n').append(center("LOAD TEST RESULTS — " + scenario)).append('\n').append(RULE).append('\n');
        summary.forEach((name, value) -> out.append(row(name, value)));
        latencies.forEach((name, latency) -> {
            out.append(RULE).append('\n').append(center("LATENCY — " + name)).append('\n').append(RULE).append('\n');
            out.append(row("Average", ms(latency.avg())));
            out.append(row("P50 (median)", ms(latency.p50())));
            out.append(row("P95", ms(latency.p95())));
            out.append(row("P99", ms(latency.p99())));
            out.append(row("Min", ms(latency.min())));
            out.append(row("Max", ms(latency.max())));
            out.append(row("Samples", latency.count()));
        });
        if (!table.isEmpty()) {
            out.append(RULE).append('\n').append(center(tableTitle)).append('\n').append(RULE).append('\n');
            List<String> columns = new ArrayList<>(table.getFirst().keySet());
            out.append(String.join(" | ", columns)).append('\n');
            for (Map<String, Object> row : table) {
                List<String> cells = new ArrayList<>();
                for (String column : columns) {
                    cells.add(format(row.get(column)));
                }
                out.append(String.join(" | ", cells)).append('\n');
            }
        }
        if (!cpu.isEmpty()) {
            out.append(RULE).append('\n').append(center("CPU (seconds during the run)")).append('\n').append(RULE).append('\n');
            cpu.forEach((name, value) -> out.append(row(name, value)));
        }
        out.append(RULE).append('\n');
        for (String note : notes) {
            out.append("* ").append(note).append('\n');
        }
        return out.toString();
    }

    private static String center(String text) {
        int pad = Math.max(0, (RULE.length() - text.length()) / 2);
        return " ".repeat(pad) + text;
    }

    private static String row(String name, Object value) {
        return String.format("%-34s %s%n", name + ":", format(value));
    }

    private static String ms(double value) {
        return String.format("%.2f ms", value);
    }

    static String format(Object value) {
        if (value instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format("%,d", d.longValue()) : String.format("%,.2f", d);
        }
        if (value instanceof Long || value instanceof Integer) {
            return String.format("%,d", ((Number) value).longValue());
        }
        return String.valueOf(value);
    }

    // ---- JSON and HTML -----------------------------------------------------------------------

    public Map<String, Object> json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("scenario", scenario);
        root.put("startedAt", started.toString());
        root.put("passed", passed);
        root.put("summary", summary);
        root.put("latency", latencies);
        if (!table.isEmpty()) {
            root.put(tableTitle == null ? "table" : tableTitle, table);
        }
        root.put("cpu", cpu);
        root.put("notes", notes);
        root.put("options", options);
        root.put("timeline", timeline);
        return root;
    }

    /** Writes NAME-TIMESTAMP.json and .html into the directory; returns the base path. */
    public Path write(Path directory) {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        Path base = directory.resolve(scenario + "-" + stamp);
        try {
            Files.createDirectories(directory);
            Files.writeString(Path.of(base + ".json"), ConfabApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json()));
            Files.writeString(Path.of(base + ".html"), html());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return base;
    }

    String html() {
        StringBuilder page = new StringBuilder("""
                <!doctype html><html><head><meta charset="utf-8"><title>Confab load: %s</title>
                <style>body{font:14px system-ui,sans-serif;margin:24px;color:#212529}pre{background:#f8f9fa;padding:12px}
                svg{background:#fff;border:1px solid #dee2e6;margin:8px 0}h1{font-size:20px}</style></head><body>
                <h1>Confab load test — %s — %s</h1>
                """.formatted(scenario, scenario, started));
        for (Chart chart : charts) {
            page.append(svg(chart));
        }
        page.append("<pre>").append(escape(text())).append("</pre></body></html>\n");
        return page.toString();
    }

    private static String svg(Chart chart) {
        int width = 960;
        int height = 300;
        int left = 64;
        int right = 150;
        int top = 30;
        int bottom = 40;
        double maxX = 1;
        double maxY = 0;
        for (Line line : chart.lines()) {
            for (double[] point : line.points()) {
                maxX = Math.max(maxX, point[0]);
                if (!line.name().equals("max")) {
                    maxY = Math.max(maxY, point[1]);
                }
            }
        }
        maxY = niceCeiling(maxY <= 0 ? 1 : maxY * 1.1);
        double plotWidth = width - left - right;
        double plotHeight = height - top - bottom;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
                .formatted(width, height, width, height));
        svg.append("<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>".formatted(left, escape(chart.title())));
        for (int i = 0; i <= 4; i++) {
            double y = top + plotHeight - plotHeight * i / 4;
            svg.append("<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e9ecef\"/>".formatted(left, left + plotWidth, y, y));
            svg.append("<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>"
                    .formatted(left - 6, y + 4, format(round(maxY * i / 4))));
        }
        for (int i = 0; i <= 5; i++) {
            double x = left + plotWidth * i / 5;
            svg.append("<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>"
                    .formatted(x, height - bottom + 16, format(maxX >= 10 ? (double) Math.round(maxX * i / 5) : round(maxX * i / 5))));
        }
        svg.append("<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>"
                .formatted(left + plotWidth / 2, height - 6, escape(chart.xLabel())));
        svg.append("<text x=\"14\" y=\"%.1f\" font-size=\"11\" transform=\"rotate(-90 14 %.1f)\" text-anchor=\"middle\">%s</text>"
                .formatted(top + plotHeight / 2, top + plotHeight / 2, escape(chart.yLabel())));
        int legend = 0;
        for (Line line : chart.lines()) {
            StringBuilder points = new StringBuilder();
            for (double[] point : line.points()) {
                double x = left + plotWidth * point[0] / maxX;
                double y = top + plotHeight - plotHeight * Math.min(point[1], maxY) / maxY;
                points.append("%.1f,%.1f ".formatted(x, y));
            }
            svg.append("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" points=\"%s\"/>".formatted(line.color(), points));
            double legendY = top + 14 + 18 * legend++;
            svg.append("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>"
                    .formatted(left + plotWidth + 12, left + plotWidth + 32, legendY - 4, legendY - 4, line.color()));
            svg.append("<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">%s</text>".formatted(left + plotWidth + 38, legendY, escape(line.name())));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double niceCeiling(double value) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
