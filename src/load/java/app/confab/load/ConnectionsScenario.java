package app.confab.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens idle WebSocket connections in batches up to --connections and reads, after each batch, the
 * server's heap ({@code jvm_memory_used_bytes{area="heap"}}, after a full GC when --server-pid lets
 * the tool run {@code jcmd PID GC.run}) and its count of open connections. Heap per connection is
 * the growth over the baseline divided by the connections added. At the end a message goes through
 * a few direct chats among the connected users to show the connections are alive, not just open.
 */
final class ConnectionsScenario {

    private ConnectionsScenario() {
    }

    static Report run(LoadContext context) {
        Options options = context.options()
                .defaultTo("connections", 10_000).defaultTo("batch", 1000).defaultTo("hold", 30)
                .defaultTo("probe-pairs", 50).defaultTo("allow-connect-failures", true);
        int target = options.integer("connections", 10_000);
        int batch = options.integer("batch", 1000);
        String serverPid = options.string("server-pid", null);
        Population population = context.population();
        List<Population.User> users = population.users(options.integer("users", target));
        int perUser = (int) Math.ceil((double) target / users.size());
        int probePairs = Math.min(options.integer("probe-pairs", 50), users.size() / 2);
        List<Population.Chat> probes = population.directPairs(users.subList(0, probePairs * 2), 0);

        CpuMeter cpu = new CpuMeter(context.api(), options);
        CpuMeter.Snapshot cpuStart = cpu.snapshot();
        DeliveryTracker tracker = new DeliveryTracker();
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Object> baseline = checkpoint(context, serverPid, 0);
        rows.add(baseline);
        System.out.println("baseline: " + baseline);
        List<WsConnection> open = new ArrayList<>();
        List<Population.User> pending = new ArrayList<>();
        for (int i = 0; i < target; i++) {
            pending.add(users.get(i % users.size()));
        }
        long started = System.nanoTime();
        int attempted = 0;
        while (attempted < target) {
            List<Population.User> next = pending.subList(attempted, Math.min(target, attempted + batch));
            attempted += next.size();
            open.addAll(context.connect(List.copyOf(next), tracker));
            DeliveryTracker.sleep(1000);
            Map<String, Object> row = checkpoint(context, serverPid, open.size());
            rows.add(row);
            System.out.println("checkpoint: " + row);
        }
        double rampSeconds = (System.nanoTime() - started) / 1e9;
        long hold = options.seconds("hold", 30).toMillis();
        long holdEnd = System.currentTimeMillis() + hold;
        while (System.currentTimeMillis() < holdEnd) {
            DeliveryTracker.sleep(Math.min(5000, Math.max(1, holdEnd - System.currentTimeMillis())));
            System.out.printf("holding %,d connections: drops %d, reconnects %d%n", open.size(),
                    context.connectionStats().drops.sum(), context.connectionStats().reconnects.sum());
        }
        Map<String, Object> last = checkpoint(context, serverPid, open.size());
        rows.add(last);

        // Liveness: one message in each probe chat, sent and received on the first connection of each user.
        WsConnection[] firstOf = new WsConnection[users.size()];
        for (WsConnection connection : open) {
            if (firstOf[connection.userIndex()] == null) {
                firstOf[connection.userIndex()] = connection;
            }
        }
        String runId = context.prefix() + Long.toString(System.currentTimeMillis(), 36);
        for (Population.Chat chat : probes) {
            if (firstOf[chat.members()[0]] == null || firstOf[chat.members()[1]] == null) {
                continue;
            }
            String id = runId + "-" + chat.index();
            tracker.sending(id, chat, chat.members()[0]);
            firstOf[chat.members()[0]].sendMessage(chat.id(), id, "load " + id + " probe");
        }
        tracker.awaitDeliveries(options.seconds("drain", 15).toNanos());
        CpuMeter.Snapshot cpuEnd = cpu.snapshot();

        Report report = new Report("connections");
        report.put("Users", (long) users.size());
        report.put("Connections per user", (long) perUser);
        report.put("Connections attempted", (long) target);
        report.put("Connections ready", (long) open.size());
        report.put("Server connections (metric)", last.get("server connections"));
        report.put("Ramp-up seconds", Report.round(rampSeconds));
        report.put("Connection Errors", context.connectionStats().errors());
        report.put("Connection drops / reconnects", context.connectionStats().drops.sum() + " / "
                + context.connectionStats().reconnects.sum());
        double heapGrowth = number(last.get("heap MB")) - number(baseline.get("heap MB"));
        report.put("Heap before (MB)", baseline.get("heap MB"));
        report.put("Heap with all connections (MB)", last.get("heap MB"));
        report.put("Heap per connection (KB)", Double.isNaN(heapGrowth) ? "n/a"
                : (Object) Report.round(heapGrowth * 1024 / Math.max(1, open.size())));
        if (last.containsKey("RSS MB")) {
            report.put("RSS per connection (KB)", Report.round(
                    (number(last.get("RSS MB")) - number(baseline.get("RSS MB"))) * 1024 / Math.max(1, open.size())));
        }
        report.put("Probe messages delivered", tracker.delivered.sum() + " of " + tracker.sent.sum()
                + (tracker.errors() == 0 ? "" : ", refused: " + tracker.errorCodes()));
        report.put("Heap measured after full GC", serverPid != null);
        if (serverPid != null && options.flag("histogram")) {
            report.notes.add("Server heap by class with " + open.size() + " connections (jcmd GC.class_histogram, top 20):\n"
                    + histogram(serverPid, 20));
        }
        report.passed = open.size() >= target && number(last.get("heap MB")) < 1024
                && tracker.outstanding() == 0 && context.connectionStats().errors() == 0;
        report.put("Goal", target + " connections in < 1 GB heap: " + (report.passed ? "MET" : "NOT MET"));
        report.tableTitle = "checkpoints";
        report.table.addAll(rows);
        List<double[]> heap = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            heap.add(new double[] {number(row.get("connections")), number(row.get("heap MB"))});
        }
        report.charts.add(new Report.Chart("Server heap by open connections", "connections", "MB",
                List.of(new Report.Line("heap used", "#1c7ed6", heap))));
        report.cpu = CpuMeter.between(cpuStart, cpuEnd);
        for (WsConnection connection : open) {
            connection.close();
        }
        DeliveryTracker.sleep(1000);
        return report;
    }

    private static Map<String, Object> checkpoint(LoadContext context, String serverPid, int connections) {
        if (serverPid != null) {
            gc(serverPid);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("connections", (long) connections);
        String text = context.api().metricsText();
        if (text == null) {
            row.put("heap MB", "n/a (no /metrics)");
        }
        Metrics metrics = new Metrics(text == null ? "" : text);
        double heap = metrics.sum("jvm_memory_used_bytes", "area=\"heap\"");
        row.putIfAbsent("heap MB", Double.isNaN(heap) ? "n/a" : (Object) Report.round(heap / 1048576.0));
        double live = metrics.sum("jvm_gc_live_data_size_bytes");
        if (!Double.isNaN(live)) {
            row.put("live data MB", Report.round(live / 1048576.0));
        }
        double active = Double.NaN;
        for (String name : new String[] {"websocket_connections_active", "confab_websocket_connections_active",
                "confab_websocket_connections", "websocket_sessions_active"}) {
            active = metrics.sum(name);
            if (!Double.isNaN(active)) {
                break;
            }
        }
        row.put("server connections", Double.isNaN(active) ? "n/a" : (Object) (long) active);
        row.put("threads", Double.isNaN(metrics.sum("jvm_threads_live_threads")) ? "n/a"
                : (Object) (long) metrics.sum("jvm_threads_live_threads"));
        if (serverPid != null) {
            row.put("RSS MB", Report.round(CpuMeter.residentBytes(serverPid) / 1048576.0));
        }
        return row;
    }

    /** The top of the server's class histogram (after a full GC): what the connections are made of. */
    private static String histogram(String pid, int lines) {
        try {
            Process process = new ProcessBuilder(System.getProperty("java.home") + "/bin/jcmd", pid, "GC.class_histogram")
                    .redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes());
            process.waitFor();
            return String.join("\n", text.lines().skip(1).limit(lines + 2).toList());
        } catch (Exception e) {
            return "jcmd GC.class_histogram failed: " + e;
        }
    }

    /** A full GC in the server, so heap readings are live data rather than garbage not yet collected. */
    private static void gc(String pid) {
        try {
            String jcmd = System.getProperty("java.home") + "/bin/jcmd";
            Process process = new ProcessBuilder(jcmd, pid, "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            process.waitFor();
            DeliveryTracker.sleep(300);
        } catch (Exception e) {
            System.out.println("jcmd GC.run failed: " + e);
        }
    }

    static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
