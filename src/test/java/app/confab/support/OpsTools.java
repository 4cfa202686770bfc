package app.confab.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the validators of {@code tools/ops-check} (redocly, the Kubernetes and compose schemas),
 * installed by the Maven build ({@code tools/ops-check/install.mjs}), with the machine's Node.
 * A missing install fails the test (never skips it): CI must run the real validators.
 */
public final class OpsTools {

    public static final Path PROJECT = Path.of("").toAbsolutePath();
    public static final Path TOOLS = PROJECT.resolve("tools/ops-check");

    public record Result(int exitCode, String output) {
    }

    private OpsTools() {
    }

    /** Runs {@code node <script> args...} in tools/ops-check and returns its exit code and combined output. */
    public static Result node(String script, String... args) throws IOException, InterruptedException {
        assertThat(TOOLS.resolve("node_modules/.confab-installed"))
                .as("validators not installed: run `node tools/ops-check/install.mjs` (the Maven build does)")
                .exists();
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("confab.node", "node"));
        command.add(script);
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(TOOLS.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("validator finished").isTrue();
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    public static Path writeTemp(String name, String content) throws IOException {
        Path dir = PROJECT.resolve("target/ops-check");
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
