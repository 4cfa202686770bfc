package app.confab.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU seconds spent by the tool, the server, PostgreSQL and the whole machine, so a report shows
 * who used the two cores during a run. The tool's own time comes from its JVM; the server's from
 * its /metrics (or /proc with --server-pid); PostgreSQL's from /proc with --pg-pid (the postmaster,
 * its live backends, and the backends that already exited); the machine's from /proc/stat.
 */
public final class CpuMeter {

    private static final double TICK = 100.0; // USER_HZ on Linux

    public record Snapshot(long wallNanos, double tool, double server, double database, double machineBusy) {
    }

    private final ConfabApi api;
    private final String serverPid;
    private final String pgPid;

    public CpuMeter(ConfabApi api, Options options) {
        this.api = api;
        this.serverPid = options.string("server-pid", null);
        this.pgPid = options.string("pg-pid", null);
    }

    public Snapshot snapshot() {
        return new Snapshot(System.nanoTime(), toolSeconds(), serverSeconds(), databaseSeconds(), machineBusySeconds());
    }

    /** The difference between two snapshots, as report figures. */
    public static Map<String, Object> between(Snapshot from, Snapshot to) {
        double wall = (to.wallNanos() - from.wallNanos()) / 1e9;
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("wallSeconds", round(wall));
        cpu.put("toolCpuSeconds", round(to.tool() - from.tool()));
        if (to.server() >= 0 && from.server() >= 0) {
            cpu.put("serverCpuSeconds", round(to.server() - from.server()));
        }
        if (to.database() >= 0 && from.database() >= 0) {
            cpu.put("databaseCpuSeconds", round(to.database() - from.database()));
        }
        if (to.machineBusy() >= 0 && from.machineBusy() >= 0) {
            double busy = to.machineBusy() - from.machineBusy();
            cpu.put("machineCpuSeconds", round(busy));
            cpu.put("machineCores", Runtime.getRuntime().availableProcessors());
            cpu.put("machineBusyPercent", round(100 * busy / (wall * Runtime.getRuntime().availableProcessors())));
        }
        return cpu;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static double toolSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return -1;
    }

    private double serverSeconds() {
        if (serverPid != null) {
            return serverSeconds(serverPid);
        }
        String text = api.metricsText();
        if (text == null) {
            return -1;
        }
        Metrics metrics = new Metrics(text);
        double seconds = metrics.sum("process_cpu_time_seconds_total");
        if (Double.isNaN(seconds)) {
            seconds = metrics.sum("process_cpu_seconds_total");
        }
        if (Double.isNaN(seconds)) {
            double nanos = metrics.sum("process_cpu_time_ns_total");
            seconds = Double.isNaN(nanos) ? -1 : nanos / 1e9;
        }
        return seconds;
    }

    private double databaseSeconds() {
        if (pgPid == null) {
            return -1;
        }
        double total = processSeconds(pgPid, true);
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String[] stat = stat(process.getFileName().toString());
                if (stat != null && pgPid.equals(stat[3])) {
                    total += ticks(stat, false) / TICK;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return total;
    }

    /** The CPU seconds of the server's processes: one pid, or a comma list (one per node, summed). */
    static double serverSeconds(String pids) {
        double total = 0;
        for (String pid : pids.split(",")) {
            double seconds = processSeconds(pid.trim(), false);
            if (seconds < 0) {
                return -1;
            }
            total += seconds;
        }
        return total;
    }

    /** utime+stime (and, with children, the reaped children's) of one process, in seconds. */
    static double processSeconds(String pid, boolean withChildren) {
        String[] stat = stat(pid);
        return stat == null ? -1 : ticks(stat, withChildren) / TICK;
    }

    private static long ticks(String[] stat, boolean withChildren) {
        // Fields after the command name: state(2) ppid(3) ... utime(13) stime(14) cutime(15) cstime(16).
        long ticks = Long.parseLong(stat[13]) + Long.parseLong(stat[14]);
        if (withChildren) {
            ticks += Long.parseLong(stat[15]) + Long.parseLong(stat[16]);
        }
        return ticks;
    }

    /** /proc/PID/stat split so that index i is field i+1 of proc(5) (the command name may hold spaces). */
    private static String[] stat(String pid) {
        try {
            String text = Files.readString(Path.of("/proc", pid, "stat"));
            int close = text.lastIndexOf(')');
            String[] rest = text.substring(close + 2).trim().split(" ");
            String[] fields = new String[rest.length + 2];
            fields[0] = pid;
            fields[1] = text.substring(text.indexOf('(') + 1, close);
            System.arraycopy(rest, 0, fields, 2, rest.length);
            return fields;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static double machineBusySeconds() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] fields = first.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return (total - idle) / TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident memory of a process in bytes (VmRSS), or -1. */
    static long residentBytes(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
