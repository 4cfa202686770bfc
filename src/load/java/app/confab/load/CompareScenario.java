package app.confab.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code --scenario compare}: the same load shape ({@code --shape seed|fanout}) against ejabberd
 * (Debian's package, started here with {@code tools/ejabberd/ejabberd.yml} on a fresh spool) and
 * then against a fresh Confab ({@code java -jar target/confab.jar} on its out-of-the-box
 * configuration: embedded PostgreSQL in a temporary DATA_DIR), back to back, into ONE report
 * ({@code compare-TIMESTAMP.md} and {@code .json}) with both side by side, the machine (nproc, CPU
 * model, load average before and after) and the exact command. {@code --confab-url} uses a running
 * Confab instead of starting the jar (tests). {@code --p99-limit} and {@code --min-delivery} gate
 * Confab's column (the exit code); ejabberd's misses are reported beside it.
 */
final class CompareScenario {

    static final Path EJABBERDCTL = Path.of("/usr/sbin/ejabberdctl");

    /** Both runs and what the gate said about Confab's. */
    record Result(Report ejabberd, Report confab, Path markdown, Path json, List<String> confabMisses,
                  List<String> ejabberdMisses) {
    }

    private CompareScenario() {
    }

    static boolean ejabberdInstalled() {
        return Files.isExecutable(EJABBERDCTL);
    }

    static Result run(Options options, String commandLine) {
        String shape = options.string("shape", "seed");
        XmppScenarios.defaults(options, shape);
        Path out = Path.of(options.string("out", "target/load"));
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("nproc", Runtime.getRuntime().availableProcessors());
        machine.put("cpu", cpuModel());
        machine.put("loadAverageBefore", loadAverage());
        Instant started = Instant.now();

        Report xmpp;
        try (Ejabberd ejabberd = Ejabberd.start(Path.of(options.string("ejabberd-config", "tools/ejabberd")))) {
            Options xmppOptions = copy(options).set("scenario", shape).set("server-pid", ejabberd.pid());
            try (LoadContext context = new LoadContext(xmppOptions)) {
                xmpp = XmppScenarios.run(context, shape, "127.0.0.1", ejabberd.port());
                xmpp.options = xmppOptions.effective();
            }
        }
        machine.put("loadAverageBetween", loadAverage());

        Report confab;
        String confabUrl = options.string("confab-url", null);
        try (ConfabProcess process = confabUrl == null
                ? ConfabProcess.start(Path.of(options.string("confab-jar", "target/confab.jar")),
                        options.string("confab-aot", null)) : null) {
            Options confabOptions = copy(options).set("scenario", shape)
                    .set("url", confabUrl != null ? confabUrl : process.url());
            if (process != null) {
                confabOptions.set("server-pid", process.pid());
                if (!options.has("db-url") && !options.flag("register-users")) {
                    // Users by SQL (a cost-4 hash) instead of one cost-12 bcrypt registration each:
                    // minutes of setup saved for 1,000 users; the message path is the same.
                    confabOptions.set("db-url", process.databaseUrl());
                }
            }
            confab = LoadTool.run(confabOptions);
        }
        machine.put("loadAverageAfter", loadAverage());

        List<String> confabMisses = Gate.misses(confab, options);
        List<String> ejabberdMisses = Gate.misses(xmpp, options);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", "compare");
        json.put("shape", shape);
        json.put("startedAt", started.toString());
        json.put("command", commandLine);
        json.put("machine", machine);
        json.put("confab", confab.json());
        json.put("ejabberd", xmpp.json());
        json.put("confabThresholdMisses", confabMisses);
        json.put("ejabberdThresholdMisses", ejabberdMisses);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        Path base = out.resolve("compare-" + shape + "-" + stamp);
        try {
            Files.createDirectories(out);
            Path jsonFile = Path.of(base + ".json");
            Path mdFile = Path.of(base + ".md");
            Files.writeString(jsonFile, ConfabApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
            Files.writeString(mdFile, markdown(shape, commandLine, machine, confab, xmpp, confabMisses, ejabberdMisses));
            return new Result(xmpp, confab, mdFile, jsonFile, confabMisses, ejabberdMisses);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String markdown(String shape, String command, Map<String, Object> machine, Report confab, Report xmpp,
                           List<String> confabMisses, List<String> xmppMisses) {
        StringBuilder md = new StringBuilder();
        md.append("# Confab vs ejabberd — ").append(shape).append("\n\n");
        md.append("Command: `").append(command).append("`\n\n");
        md.append("Machine: ").append(machine.get("nproc")).append(" cores (`nproc`), ").append(machine.get("cpu"))
                .append("; load average before ").append(machine.get("loadAverageBefore"))
                .append(", between ").append(machine.get("loadAverageBetween"))
                .append(", after ").append(machine.get("loadAverageAfter")).append("\n\n");
        md.append("| | Confab | ejabberd |\n|---|---|---|\n");
        List<String> rows = new ArrayList<>(confab.summary.keySet());
        xmpp.summary.keySet().stream().filter(key -> !rows.contains(key)).forEach(rows::add);
        for (String row : rows) {
            md.append("| ").append(row).append(" | ").append(cell(confab.summary.get(row))).append(" | ")
                    .append(cell(xmpp.summary.get(row))).append(" |\n");
        }
        for (String series : confab.latencies.keySet()) {
            Report.Latency a = confab.latencies.get(series);
            Report.Latency b = xmpp.latencies.get(series);
            md.append("| ").append(series).append(" p50 / p95 / p99 / max ms | ").append(latency(a)).append(" | ")
                    .append(latency(b)).append(" |\n");
        }
        for (String key : List.of("serverCpuSeconds", "toolCpuSeconds", "machineBusyPercent")) {
            md.append("| cpu ").append(key).append(" | ").append(cell(confab.cpu == null ? null : confab.cpu.get(key)))
                    .append(" | ").append(cell(xmpp.cpu == null ? null : xmpp.cpu.get(key))).append(" |\n");
        }
        md.append("| thresholds | ").append(confabMisses.isEmpty() ? "met" : String.join("; ", confabMisses))
                .append(" | ").append(xmppMisses.isEmpty() ? "met" : String.join("; ", xmppMisses)).append(" |\n\n");
        md.append("ejabberd's ack is its Stream Management (XEP-0198) ack: the server has the stanza; Confab's is ")
                .append("sent after the message's commit (fsync'd). Both latencies are send → delivery to each ")
                .append("recipient, on one clock.\n");
        return md.toString();
    }

    private static String cell(Object value) {
        return value == null ? "—" : Report.format(value).replace("|", "\\|");
    }

    private static String latency(Report.Latency l) {
        return l == null ? "—" : l.text();
    }

    private static Options copy(Options options) {
        Options copy = Options.parse();
        options.effective().forEach(copy::set);
        return copy;
    }

    static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name")).map(line -> line.replaceFirst("^[^:]*:\\s*", ""))
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }

    /**
     * Runs a command and returns its output. The output goes to a file, not a pipe: {@code ejabberdctl
     * start} leaves a daemon behind that inherits the output, so a pipe would never reach its end.
     */
    static String exec(List<String> command, Duration timeout) {
        Path log = null;
        try {
            log = Files.createTempFile("confab-compare-exec", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            String output = Files.readString(log);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command + " exited " + process.exitValue() + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (log != null) {
                log.toFile().delete();
            }
        }
    }

    /**
     * ejabberd from Debian's package on a fresh spool and a free port. Debian's ejabberdctl switches
     * to the {@code ejabberd} user through {@code su}, which drops the environment that carries
     * {@code --config}; so, as root, the tool runs ejabberdctl as that user itself, with its own
     * {@code --ctl-config} (Debian's pins the config path).
     */
    static final class Ejabberd implements AutoCloseable {
        private final Path dir;
        private final String node;
        private final int port;

        private Ejabberd(Path dir, String node, int port) {
            this.dir = dir;
            this.node = node;
            this.port = port;
        }

        static Ejabberd start(Path configDir) {
            if (!ejabberdInstalled()) {
                throw new IllegalStateException("ejabberd is not installed (" + EJABBERDCTL + "): apt-get install ejabberd");
            }
            try {
                Path dir = Files.createTempDirectory("confab-compare-ejabberd");
                int port = freePort();
                String config = Files.readString(configDir.resolve("ejabberd.yml"))
                        .replace("port: 25222", "port: " + port);
                Files.writeString(dir.resolve("ejabberd.yml"), config);
                Files.copy(configDir.resolve("ejabberdctl.cfg"), dir.resolve("ejabberdctl.cfg"));
                if ("root".equals(System.getProperty("user.name"))) {
                    UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("ejabberd");
                    for (Path path : List.of(dir, dir.resolve("ejabberd.yml"), dir.resolve("ejabberdctl.cfg"))) {
                        Files.setOwner(path, owner);
                    }
                }
                String node = "confab_compare_" + port + "@localhost";
                Ejabberd ejabberd = new Ejabberd(dir, node, port);
                ejabberd.ctl("start");
                ejabberd.ctl("started");
                System.out.println("ejabberd: node " + node + " on 127.0.0.1:" + port + ", spool " + dir);
                return ejabberd;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        int port() {
            return port;
        }

        String ctl(String command) {
            // su starts a login shell with the soft descriptor limit of 1024: ejabberd then refused
            // connections past ~990 users (EOF at the seed's login), so lift it to the hard limit.
            String ctl = "ulimit -n \"$(ulimit -Hn)\" 2>/dev/null; HOME=%s %s --config %s/ejabberd.yml --ctl-config %s/ejabberdctl.cfg --spool %s --logs %s --node %s %s"
                    .formatted(dir, EJABBERDCTL, dir, dir, dir, dir, node, command);
            List<String> shell = "root".equals(System.getProperty("user.name"))
                    ? List.of("su", "ejabberd", "-s", "/bin/sh", "-c", ctl)
                    : List.of("/bin/sh", "-c", ctl);
            return exec(shell, Duration.ofSeconds(120));
        }

        /** The beam process of this node (for its CPU time), found by its node name. */
        String pid() {
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                    try {
                        String cmdline = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                        return cmdline.contains("beam") && cmdline.contains(node);
                    } catch (IOException e) {
                        return false;
                    }
                }).map(p -> p.getFileName().toString()).findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public void close() {
            try {
                ctl("stop");
                ctl("stopped");
            } catch (RuntimeException e) {
                System.out.println("ejabberd: stop failed: " + e.getMessage());
            }
            deleteTree(dir);
        }
    }

    /**
     * A fresh Confab from its jar, out of the box: no DATABASE_URL or REDIS_URL (embedded
     * PostgreSQL in a temporary DATA_DIR), only the per-user rate limits lifted so that the load
     * shape, not a limit, decides.
     */
    static final class ConfabProcess implements AutoCloseable {
        private final Process process;
        private final Path dataDir;
        private final int port;

        private ConfabProcess(Process process, Path dataDir, int port) {
            this.process = process;
            this.dataDir = dataDir;
            this.port = port;
        }

        /**
         * Starts the jar; {@code aot} is the AOT cache to use ({@code none}: none; null: the jar's
         * sibling {@code confab.aot} when it exists).
         */
        static ConfabProcess start(Path jar, String aot) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " not found: run ./mvnw -Dskip.web=true -DskipTests package first");
            }
            try {
                Path dataDir = Files.createTempDirectory("confab-compare-data");
                int port = freePort();
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
                Path cache = aot == null ? jar.resolveSibling("confab.aot") : "none".equals(aot) ? null : Path.of(aot);
                if (cache != null && Files.isRegularFile(cache)) {
                    command.add("-XX:AOTCache=" + cache);
                }
                System.out.println("confab: " + String.join(" ", command) + " -jar " + jar);
                command.addAll(List.of("-jar", jar.toString()));
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(dataDir.resolve("confab.log").toFile());
                Map<String, String> env = builder.environment();
                env.remove("DATABASE_URL");
                env.remove("DATABASE_REPLICA_URL");
                env.remove("REDIS_URL");
                env.put("PORT", Integer.toString(port));
                env.put("DATA_DIR", dataDir.toString());
                env.put("LOG_FORMAT", "json");
                env.put("RATE_LIMIT_API_PER_MINUTE", "1000000");
                env.put("RATE_LIMIT_MESSAGES_PER_SECOND", "100000");
                // The per-user and per-connection request budgets (10 sends a second each): a
                // user of the 200 sending 6 a second on average goes over them in a burst.
                env.put("CONFAB_REQUESTLIMITS_SCALE", "100000");
                ConfabProcess confab = new ConfabProcess(builder.start(), dataDir, port);
                confab.awaitReady(Duration.ofSeconds(300));
                System.out.println("confab: pid " + confab.pid() + " on port " + port + ", DATA_DIR " + dataDir);
                return confab;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        String pid() {
            return Long.toString(process.pid());
        }

        /**
         * The embedded PostgreSQL of this server: its port from the cluster's {@code postmaster.pid}
         * (fourth line), the {@code postgres} role's password from {@code DATA_DIR/postgres-password}.
         */
        String databaseUrl() {
            try {
                List<String> pidFile = Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"));
                String password = Files.readString(dataDir.resolve("postgres-password")).strip();
                return "postgresql://postgres:" + password + "@127.0.0.1:" + pidFile.get(3).strip() + "/postgres";
            } catch (IOException | IndexOutOfBoundsException e) {
                throw new IllegalStateException("Cannot find the embedded database of " + dataDir + ": " + e);
            }
        }

        private void awaitReady(Duration timeout) {
            HttpClient client = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Confab exited " + process.exitValue() + "; see " + dataDir.resolve("confab.log"));
                }
                try {
                    HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url() + "/health/ready"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                DeliveryTracker.sleep(500);
            }
            throw new IllegalStateException("Confab not ready within " + timeout);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deleteTree(dataDir);
        }
    }
}
