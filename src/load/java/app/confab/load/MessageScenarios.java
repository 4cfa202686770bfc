package app.confab.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * The scenarios that send messages through {@code message:send} on real connections and check
 * every delivery: {@code seed}, {@code throughput} and {@code fanout}.
 */
final class MessageScenarios {

    private MessageScenarios() {
    }

    /** Seed §12.2: 1,000 users, 50 msg/s for 60 s; half the messages to direct chats, half to groups of 10. */
    static Report seed(LoadContext context) {
        Options options = context.options()
                .defaultTo("users", 1000).defaultTo("rate", 50).defaultTo("duration", 60)
                .defaultTo("group-size", 10).defaultTo("group-share", 0.5);
        Population population = context.population();
        List<Population.User> users = population.users(options.integer("users", 1000));
        List<Population.Chat> direct = population.directPairs(users, 0);
        List<Population.Chat> groups = population.groups(users, options.integer("group-size", 10), direct.size());
        System.out.printf("chats: %d direct, %d groups of %d%n", direct.size(), groups.size(), options.integer("group-size", 10));
        try (Run run = new Run(context, users, direct, groups, options.number("group-share", 0.5))) {
            run.pace(options.number("rate", 50), options.seconds("duration", 60));
            Report report = run.finish("seed");
            Report.Latency latency = report.latency("end-to-end (send → message:new)");
            boolean complete = (long) report.get("Deliveries missing") == 0 && (long) report.get("Duplicates") == 0;
            report.passed = complete && latency.p95() < 50;
            report.put("Goal", "100% delivery, p95 < 50 ms: " + (report.passed ? "MET" : "NOT MET"));
            return report;
        }
    }

    /**
     * A conversation load (direct chats and groups) while fault scripts run in turn, one every
     * --fault-interval seconds: {@code --faults kill-node.sh,restart-redis.sh,promote-standby.sh}.
     * Each script is the operator's (it knows the deployment: compose, systemd, kubectl); the tool
     * runs it with {@code sh}, notes when and how it ended, keeps sending throughout, and reports
     * what the ledger saw: sent, acknowledged, delivered, missing and duplicated deliveries (the
     * WebSocket clients reconnect with their cursor, as real clients do).
     */
    static Report chaos(LoadContext context) {
        Options options = context.options()
                .defaultTo("users", 100).defaultTo("rate", 100).defaultTo("group-size", 10)
                .defaultTo("group-share", 0.5).defaultTo("fault-interval", 20).defaultTo("drain", 600)
                .defaultTo("quiet", 30)
                // No warm-up: it waits up to --drain for its own deliveries, and a send lost on a
                // dropped socket (a loaded machine drops a few) would hold the start for all of it.
                .defaultTo("warmup", 0);
        List<java.nio.file.Path> faults = new ArrayList<>();
        for (String script : options.string("faults", "").split(",")) {
            if (!script.isBlank()) {
                java.nio.file.Path path = java.nio.file.Path.of(script.trim());
                if (!java.nio.file.Files.isReadable(path)) {
                    throw new IllegalArgumentException("Fault script not found: " + path);
                }
                faults.add(path);
            }
        }
        double interval = options.number("fault-interval", 20);
        Duration duration = Duration.ofMillis((long) (interval * (faults.size() + 1) * 1000));
        Population population = context.population();
        List<Population.User> users = population.users(options.integer("users", 100));
        List<Population.Chat> direct = population.directPairs(users, 0);
        List<Population.Chat> groups = population.groups(users, options.integer("group-size", 10), direct.size());
        System.out.printf("chats: %d direct, %d groups; %d faults, one every %.0f s%n", direct.size(), groups.size(),
                faults.size(), interval);
        List<String> faultLog = java.util.Collections.synchronizedList(new ArrayList<>());
        // [name, start nanos, end nanos] of each fault, for the per-fault windows below.
        List<Object[]> faultTimes = java.util.Collections.synchronizedList(new ArrayList<>());
        try (Run run = new Run(context, users, direct, groups, options.number("group-share", 0.5))) {
            long start = System.nanoTime();
            Thread injector = Thread.ofVirtual().name("chaos-faults").start(() -> {
                for (java.nio.file.Path fault : faults) {
                    DeliveryTracker.sleep((int) (interval * 1000));
                    long faultStart = System.nanoTime();
                    double at = (faultStart - start) / 1e9;
                    int exit;
                    try {
                        Process process = new ProcessBuilder("sh", fault.toString()).inheritIO().start();
                        exit = process.waitFor();
                    } catch (java.io.IOException e) {
                        exit = -1;
                    } catch (InterruptedException e) {
                        return;
                    }
                    long faultEnd = System.nanoTime();
                    String entry = String.format("%s at %.1f s (%.1f s, exit %d)", fault.getFileName(), at,
                            (faultEnd - faultStart) / 1e9, exit);
                    System.out.println("fault: " + entry);
                    faultLog.add(entry);
                    faultTimes.add(new Object[] {fault.getFileName().toString() + (exit == 0 ? "" : " (exit " + exit + ")"),
                            faultStart, faultEnd});
                }
            });
            // Send for as long as faults are still running (a script may wait, e.g. for a restarted
            // node to be ready: on a loaded machine a start takes minutes), then one more interval,
            // so that every fault happens under load and the last one's aftermath is measured.
            double rate = options.number("rate", 100);
            run.pace(rate, duration);
            while (injector.isAlive()) {
                run.pace(rate, Duration.ofSeconds(1));
            }
            if (!faultTimes.isEmpty() && (System.nanoTime() - (long) faultTimes.getLast()[2]) < interval * 1e9) {
                run.pace(rate, Duration.ofNanos((long) (interval * 1e9) - (System.nanoTime() - (long) faultTimes.getLast()[2])));
            }
            long sendingEnd = System.nanoTime();
            try {
                injector.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // A send whose socket died never gets an answer, so "every send answered" may never come:
            // wait instead until nothing has been acked or delivered for --quiet seconds (the
            // backlog a fault leaves is worked off), or --drain is up. The ledger is read then.
            boolean settled = run.tracker.awaitQuiet(options.seconds("quiet", 30).toNanos(),
                    options.seconds("drain", 30).toNanos());
            Report report = run.finish("chaos", 0);
            report.put("Faults", String.join("; ", faultLog));
            if (!settled) {
                report.notes.add("The drain ended while acks or deliveries were still arriving: raise --drain.");
            }
            // One row per window: before the first fault, then from each fault's start to the next's.
            // A message belongs to the window it was sent in.
            List<Object[]> windows = new ArrayList<>();
            windows.add(new Object[] {"(no fault yet)", run.tracker.startNanos, 0L});
            windows.addAll(faultTimes);
            long lostTotal = 0;
            for (int i = 0; i < windows.size(); i++) {
                long from = (long) windows.get(i)[1];
                long to = i + 1 < windows.size() ? (long) windows.get(i + 1)[1] : sendingEnd;
                DeliveryTracker.Window w = run.tracker.window(from, to);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("window", windows.get(i)[0]);
                row.put("from s", Report.round((from - run.tracker.startNanos) / 1e9));
                row.put("fault took s", i == 0 ? 0.0 : Report.round(((long) windows.get(i)[2] - from) / 1e9));
                row.put("sent", w.sent());
                row.put("acked", w.acked());
                row.put("lost (acked, not delivered)", w.lostAcked());
                row.put("delivered without ack", w.deliveredUnacked());
                row.put("re-deliveries (same id)", w.duplicates());
                row.put("duplicates after de-dup by id", w.storedTwice());
                row.put("out of order", w.outOfOrder());
                row.put("max send→last delivery ms", w.maxDeliveryMs());
                row.put("longest delivery gap ms", w.longestSilenceMs());
                report.table.add(row);
                lostTotal += w.lostAcked();
            }
            report.tableTitle = "faults";
            report.put("Acknowledged messages lost", lostTotal);
            report.put("Duplicates after de-dup by id", run.tracker.storedTwice.sum());
            report.put("Out-of-order deliveries", run.tracker.outOfOrder.sum());
            // A second copy under the same id is a re-delivery that every client drops by id (the
            // "Duplicates" line counts those too); a copy under a second id is a message stored twice.
            report.passed = lostTotal == 0 && run.tracker.storedTwice.sum() == 0 && run.tracker.outOfOrder.sum() == 0;
            report.put("Goal", "no acknowledged message lost, duplicated or out of order through every fault: "
                    + (report.passed ? "MET" : "NOT MET"));
            return report;
        }
    }

    /** Groups of 300 (by default one), 100 msg/s: each message fans out to 299 connections. */
    static Report fanout(LoadContext context) {
        Options options = context.options()
                .defaultTo("group-size", 300).defaultTo("groups", 1).defaultTo("rate", 100).defaultTo("duration", 60);
        int groupSize = options.integer("group-size", 300);
        Population population = context.population();
        List<Population.User> users = population.users(groupSize * options.integer("groups", 1));
        List<Population.Chat> groups = population.groups(users, groupSize, 0);
        System.out.printf("chats: %d groups of %d%n", groups.size(), groupSize);
        try (Run run = new Run(context, users, List.of(), groups, 1.0)) {
            run.pace(options.number("rate", 100), options.seconds("duration", 60));
            Report report = run.finish("fanout");
            Report.Latency latency = report.latency("end-to-end (send → message:new)");
            report.passed = (long) report.get("Deliveries missing") == 0 && latency.p99() < 100;
            report.put("Goal", "100 msg/s into 300-member groups, p99 < 100 ms: " + (report.passed ? "MET" : "NOT MET"));
            return report;
        }
    }

    /**
     * Direct chats only; the rate rises by --step every --step-duration seconds until a step's p99
     * passes --p99-limit or a message is lost or refused. The result is the highest step that held.
     */
    static Report throughput(LoadContext context) {
        Options options = context.options()
                .defaultTo("users", 200).defaultTo("start-rate", 250).defaultTo("step", 250)
                .defaultTo("step-duration", 15).defaultTo("max-rate", 6000).defaultTo("p99-limit", 100)
                .defaultTo("drain", 10);
        Population population = context.population();
        List<Population.User> users = population.users(options.integer("users", 200));
        List<Population.Chat> direct = population.directPairs(users, 0);
        System.out.printf("chats: %d direct%n", direct.size());
        double limit = options.number("p99-limit", 100);
        List<Map<String, Object>> steps = new ArrayList<>();
        double best = 0;
        double bestUnder50 = 0;
        try (Run run = new Run(context, users, direct, List.of(), 0)) {
            for (double rate = options.number("start-rate", 250); rate <= options.number("max-rate", 6000);
                 rate += options.number("step", 250)) {
                long sentBefore = run.tracker.sent.sum();
                long ackedBefore = run.tracker.acked.sum();
                long errorsBefore = run.tracker.errors();
                run.timeline.beginSegment();
                System.out.printf("--- step: %.0f msg/s for %s%n", rate, options.seconds("step-duration", 15));
                CpuMeter.Snapshot stepStart = run.cpu.snapshot();
                double seconds = run.pace(rate, options.seconds("step-duration", 15));
                // CPU over the sending only (not the drain): at the knee, is the machine or a lock saturated?
                Map<String, Object> stepCpu = CpuMeter.between(stepStart, run.cpu.snapshot());
                run.tracker.awaitDeliveries(options.seconds("drain", 10).toNanos());
                Histogram step = run.timeline.endSegment();
                long sent = run.tracker.sent.sum() - sentBefore;
                long acked = run.tracker.acked.sum() - ackedBefore;
                long errors = run.tracker.errors() - errorsBefore;
                long lost = run.tracker.outstanding();
                Report.Latency latency = Report.Latency.of(step);
                boolean held = lost == 0 && errors == 0 && latency.p99() <= limit;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("target msg/s", rate);
                row.put("sent msg/s", Report.round(sent / seconds));
                row.put("stored msg/s", Report.round(acked / seconds));
                row.put("errors", errors);
                row.put("lost", lost);
                row.put("p50 ms", latency.p50());
                row.put("p95 ms", latency.p95());
                row.put("p99 ms", latency.p99());
                row.put("max ms", latency.max());
                row.put("machine busy %", stepCpu.getOrDefault("machineBusyPercent", -1.0));
                row.put("server cpu s", stepCpu.getOrDefault("serverCpuSeconds", -1.0));
                row.put("held", held);
                steps.add(row);
                System.out.println("    step result: " + row);
                if (!held) {
                    break;
                }
                best = rate;
                if (latency.p99() < 50) {
                    bestUnder50 = rate;
                }
            }
            Report report = run.finish("throughput");
            report.tableTitle = "steps";
            report.table.addAll(steps);
            report.put("Highest sustained rate (p99 <= " + (int) limit + " ms, no loss)", best + " msg/s");
            report.put("Highest sustained rate with p99 < 50 ms", bestUnder50 + " msg/s");
            report.passed = bestUnder50 >= 2000;
            report.put("Goal", ">= 2,000 persisted msg/s, 100% delivery, p99 < 50 ms: " + (report.passed ? "MET" : "NOT MET"));
            return report;
        }
    }

    /** One message run: the connections, the tracker, the per-second timeline, and the pacing. */
    static final class Run implements AutoCloseable {
        final LoadContext context;
        final List<Population.User> users;
        final List<Population.Chat> direct;
        final List<Population.Chat> groups;
        final double groupShare;
        DeliveryTracker tracker = new DeliveryTracker();
        final MessageLink[] byUser;
        final List<? extends MessageLink> connections;
        Timeline timeline;
        final CpuMeter cpu;
        CpuMeter.Snapshot cpuStart;
        final String runId;
        final String filler;
        final SplittableRandom random = new SplittableRandom(42);
        long sequence;

        Run(LoadContext context, List<Population.User> users, List<Population.Chat> direct,
            List<Population.Chat> groups, double groupShare) {
            this(context, users, direct, groups, groupShare, tracker -> context.connect(users, tracker),
                    new CpuMeter(context.api(), context.options()));
        }

        /** A run over any protocol: {@code connector} opens every user's link reporting to the tracker. */
        Run(LoadContext context, List<Population.User> users, List<Population.Chat> direct,
            List<Population.Chat> groups, double groupShare,
            java.util.function.Function<DeliveryTracker, List<? extends MessageLink>> connector, CpuMeter cpu) {
            this.context = context;
            this.users = users;
            this.direct = direct;
            this.groups = groups;
            this.groupShare = direct.isEmpty() ? 1.0 : groups.isEmpty() ? 0.0 : groupShare;
            this.runId = context.prefix() + Long.toString(System.currentTimeMillis(), 36);
            this.filler = filler(context.options().integer("message-bytes", 100));
            this.connections = connector.apply(tracker);
            int maxIndex = users.stream().mapToInt(Population.User::index).max().orElse(0);
            this.byUser = new MessageLink[maxIndex + 1];
            for (MessageLink connection : connections) {
                byUser[connection.userIndex()] = connection;
            }
            // Let the server finish whatever the connects started (presence, catch-up) before measuring.
            DeliveryTracker.sleep(context.options().integer("settle-ms", 1000));
            this.cpu = cpu;
            double warmup = context.options().number("warmup", 5);
            if (warmup > 0) {
                // JIT and connection pools warm up at the run's first rate; those messages are checked, not reported.
                this.timeline = new Timeline(tracker, context.connectionStats(), () -> " (warm-up)");
                pace(context.options().number("warmup-rate", context.options().number("rate",
                        context.options().number("start-rate", 50))), Duration.ofMillis((long) (warmup * 1000)));
                boolean complete = tracker.awaitDeliveries(context.options().seconds("drain", 15).toNanos());
                timeline.close();
                System.out.printf("warm-up: %d sent, %d delivered of %d%s, errors %s%n", tracker.sent.sum(),
                        tracker.delivered.sum(), tracker.expected.sum(), complete ? "" : " — INCOMPLETE", tracker.errorCodes());
                warmupIncomplete = complete ? 0 : tracker.outstanding();
                tracker = new DeliveryTracker();
                for (MessageLink connection : connections) {
                    connection.track(tracker);
                }
            }
            this.cpuStart = cpu.snapshot();
            this.timeline = new Timeline(tracker, context.connectionStats(), null);
        }

        long warmupIncomplete;

        /** Sends at {@code rate} msg/s for {@code duration}; returns the seconds it took. */
        double pace(double rate, Duration duration) {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long sentHere = 0;
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                long due = (long) (rate * (now - start) / 1e9);
                while (sentHere < due) {
                    sendOne();
                    sentHere++;
                }
                long nextDue = start + (long) ((sentHere + 1) * 1e9 / rate);
                LockSupport.parkNanos(Math.max(50_000, Math.min(nextDue, end) - System.nanoTime()));
            }
            return (System.nanoTime() - start) / 1e9;
        }

        private void sendOne() {
            boolean toGroup = random.nextDouble() < groupShare;
            List<Population.Chat> pool = toGroup ? groups : direct;
            Population.Chat chat = pool.get(random.nextInt(pool.size()));
            int sender = chat.members()[random.nextInt(chat.members().length)];
            String clientMessageId = runId + "-" + (sequence++);
            tracker.sending(clientMessageId, chat, sender);
            byUser[sender].sendMessage(chat.id(), clientMessageId, "load " + clientMessageId + filler);
        }

        Report finish(String scenario) {
            return finish(scenario, context.options().seconds("drain", 15).toNanos());
        }

        /** The report after waiting up to {@code drainNanos} for answers and deliveries still due. */
        Report finish(String scenario, long drainNanos) {
            long deadline = System.nanoTime() + drainNanos;
            while (tracker.unanswered() > 0 && System.nanoTime() < deadline) {
                DeliveryTracker.sleep(20);
            }
            tracker.awaitDeliveries(Math.max(0, deadline - System.nanoTime()));
            CpuMeter.Snapshot cpuEnd = cpu.snapshot();
            timeline.close();
            ConnectionStats stats = context.connectionStats();
            Report report = new Report(scenario);
            long sent = tracker.sent.sum();
            long expected = tracker.expected.sum();
            long delivered = tracker.delivered.sum();
            report.put("Users", (long) users.size());
            report.put("Chats", direct.size() + " direct, " + groups.size() + " groups"
                    + (groups.isEmpty() ? "" : " of " + groups.getFirst().members().length));
            report.put("Messages Sent", sent);
            report.put("Messages Stored (acked)", tracker.acked.sum());
            report.put("Messages Refused (error frames)", tracker.failed.sum());
            report.put("Deliveries expected", expected);
            report.put("Deliveries received", delivered);
            report.put("Success Rate", String.format("%.3f%%", expected == 0 ? 100.0 : 100.0 * delivered / expected));
            report.put("Deliveries missing", expected - delivered);
            report.put("Messages not delivered to everyone", tracker.messagesIncomplete());
            report.put("Duplicates", tracker.duplicates.sum());
            report.put("Deliveries to non-members", tracker.unexpected.sum());
            report.put("Errors", tracker.errors());
            if (!tracker.errorCodes().isEmpty()) {
                report.put("Error codes", tracker.errorCodes().toString());
            }
            report.put("Connection Errors", stats.errors());
            report.put("Connection drops / reconnects", stats.drops.sum() + " / " + stats.reconnects.sum()
                    + (stats.lastDropReason == null ? "" : " (last: " + stats.lastDropReason + ")"));
            if (warmupIncomplete > 0) {
                report.put("Warm-up deliveries missing", warmupIncomplete);
            }
            report.put("Average send rate (msg/s)", Report.round(sent / Math.max(1e-3, timeline.elapsedSeconds())));
            report.latencies.put("end-to-end (send → message:new)", Report.Latency.of(timeline.total()));
            report.latencies.put("ack (send → ack, stored)", Report.Latency.of(timeline.ackTotal()));
            report.chartTimeline(timeline.seconds());
            report.cpu = CpuMeter.between(cpuStart, cpuEnd);
            report.notes.add("Latency: from just before the frame is sent to its message:new arriving, one JVM clock, "
                    + "HdrHistogram (3 significant digits).");
            return report;
        }

        @Override
        public void close() {
            timeline.close();
            for (MessageLink connection : connections) {
                connection.close();
            }
            DeliveryTracker.sleep(200);
        }

        private static String filler(int bytes) {
            String words = " the quick brown fox jumps over the lazy dog and keeps on running through the field";
            StringBuilder text = new StringBuilder();
            while (text.length() < bytes - 30) {
                text.append(words);
            }
            return text.substring(0, Math.max(0, Math.min(text.length(), bytes - 30)));
        }
    }
}
