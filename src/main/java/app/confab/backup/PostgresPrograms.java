package app.confab.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import app.confab.platform.CommandException;

/**
 * PostgreSQL's own client programs (pg_dump, pg_restore, psql). The embedded PostgreSQL ships only
 * its server, so these come from the machine: {@code PG_BIN} when set, else the newest
 * {@code /usr/lib/postgresql/<version>/bin} (Debian, Ubuntu), else the PATH. pg_dump must be at
 * least as new as the server it dumps; the newest installed one is the best choice.
 */
public final class PostgresPrograms {

    private static final Pattern VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?");

    private final Path binDir;

    private PostgresPrograms(Path binDir) {
        this.binDir = binDir;
    }

    public static PostgresPrograms find(Map<String, String> environment) {
        List<Path> candidates = new ArrayList<>();
        String configured = environment.get("PG_BIN");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.sorted(Comparator.comparingInt((Path version) -> leadingNumber(version.getFileName().toString())).reversed())
                        .forEach(version -> candidates.add(version.resolve("bin")));
            } catch (IOException e) {
                // Fall through to the PATH.
            }
        }
        String path = environment.getOrDefault("PATH", System.getenv("PATH"));
        if (path != null) {
            for (String entry : path.split(java.io.File.pathSeparator)) {
                if (!entry.isBlank()) {
                    candidates.add(Path.of(entry));
                }
            }
        }
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate.resolve("pg_dump")) && Files.isExecutable(candidate.resolve("pg_restore"))) {
                return new PostgresPrograms(candidate);
            }
        }
        throw new CommandException(3, "PostgreSQL's client programs (pg_dump, pg_restore) were not found: "
                + "install them (Debian/Ubuntu: apt-get install postgresql-client) or set PG_BIN to their directory");
    }

    public Path program(String name) {
        return binDir.resolve(name);
    }

    /** The major version of these programs (pg_dump --version: "pg_dump (PostgreSQL) 15.14 ..."). */
    public int majorVersion() {
        String output = run(List.of(program("pg_dump").toString(), "--version"), Map.of(), null).output();
        return leadingNumber(output.replaceAll("^[^0-9]*", ""));
    }

    public String version() {
        return run(List.of(program("pg_dump").toString(), "--version"), Map.of(), null).output().trim();
    }

    public record Result(int exitCode, String output) {
    }

    /** Runs a program to completion; its output (stdout and stderr together) is returned. */
    public Result run(List<String> command, Map<String, String> environment, Path stdin) {
        try {
            Path log = Files.createTempFile("confab-pg-", ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                if (stdin != null) {
                    builder.redirectInput(stdin.toFile());
                }
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(6, TimeUnit.HOURS)) {
                    process.destroyForcibly();
                    throw new CommandException(1, command.getFirst() + " did not finish");
                }
                return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new CommandException(1, "Could not run " + command.getFirst() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(1, "Interrupted while running " + command.getFirst());
        }
    }

    static int leadingNumber(String text) {
        Matcher matcher = VERSION.matcher(text);
        return matcher.lookingAt() ? Integer.parseInt(matcher.group(1)) : 0;
    }
}
