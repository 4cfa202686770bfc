package app.confab.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * One Confab node as production runs it: {@code java -jar target/confab.jar} in its own process,
 * configured by environment variables, its stdout (the log) kept in a file. {@link #stop()} sends
 * SIGTERM, as Docker and Kubernetes do, so the graceful drain really runs.
 */
final class ConfabNode implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ConfabNode(String name, int port, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static Path jar() {
        Path jar = Path.of("target", "confab.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: ITs run after `package` (./mvnw verify)");
        }
        return jar;
    }

    static ConfabNode start(String name, int port, Map<String, String> environment, Path dir) throws IOException {
        Path dataDir = Files.createDirectories(dir.resolve(name + "-data"));
        Path stdout = dir.resolve(name + ".log");
        Path stderr = dir.resolve(name + ".err");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("DATA_DIR", dataDir.toString());
        return new ConfabNode(name, port, builder.start(), stdout, stderr);
    }

    /** Waits until {@code /health/ready} answers 200, failing early if the process died. */
    void awaitReady(Duration timeout) {
        await(name + " ready (see " + stdout + ")").atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
            // Thrown, not retried: a dead process never becomes ready.
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + stdout);
            }
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false; // not listening yet
            }
        });
    }

    /** SIGTERM and wait for the process to finish its graceful shutdown; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not stop within 90 s after SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGTERM without waiting: the caller watches what clients see meanwhile. */
    void signalStop() {
        process.destroy();
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not stop within 90 s after SIGTERM");
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    List<String> logLines() throws IOException {
        return Files.readAllLines(stdout);
    }

    String everythingWritten() throws IOException {
        return Files.readString(stdout) + Files.readString(stderr);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
