package app.confab.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import app.confab.support.IntegrationTest;
import app.confab.support.Users;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web client's end-to-end flows in real Chromium (web/e2e/run.mjs, driven by playwright-core
 * against Debian's chromium) against this whole server on its random port. Fails when any flow
 * fails; the runner's output is in the assertion message and in the test's report file.
 * An administrator is made for the flows that change settings (link previews); the settings go
 * back to their defaults afterwards, as the context is shared with other tests.
 */
class WebClientE2EIT extends IntegrationTest {

    private static final long TIMEOUT_MINUTES = 25;

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void defaultSettings() {
        jdbc.sql("DELETE FROM app_settings WHERE key = 'admin.settings'").update();
    }

    @Test
    void browserFlowsPass() throws IOException, InterruptedException {
        Path web = Path.of("web").toAbsolutePath();
        Path chromium = Path.of(System.getenv().getOrDefault("CONFAB_CHROMIUM", "/usr/bin/chromium"));
        assertThat(Files.isExecutable(chromium))
                .as("Chromium is needed for the browser tests: apt-get install -y chromium (or set CONFAB_CHROMIUM)")
                .isTrue();
        assertThat(web.resolve("node_modules/playwright-core")).as("web dependencies installed by the build").exists();
        Users.TestUser admin = users.register("e2e_admin");
        jdbc.sql("UPDATE users SET role = 'admin' WHERE id = :id").param("id", admin.id()).update();

        ProcessBuilder builder = new ProcessBuilder(System.getProperty("confab.node", "node"), "e2e/run.mjs",
                "http://localhost:" + port)
                .directory(web.toFile())
                .redirectErrorStream(true);
        // Screenshots go to target/ so a test run never rewrites tracked files; refresh the ones in
        // docs/ on purpose with -Dconfab.screenshots=docs/screenshots.
        String screenshots = System.getProperty("confab.screenshots", "target/screenshots");
        builder.environment().put("CONFAB_SCREENSHOTS", web.resolveSibling(screenshots).toAbsolutePath().toString());
        builder.environment().put("CONFAB_CHROMIUM", chromium.toString());
        builder.environment().put("CONFAB_ADMIN_USERNAME", admin.username());
        builder.environment().put("CONFAB_ADMIN_PASSWORD", Users.PASSWORD);
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    System.out.println("[e2e] " + line);
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        boolean finished = process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        reader.join(10_000);
        String log;
        synchronized (output) {
            log = output.toString();
        }
        assertThat(finished).as("browser flows finished within %d minutes:%n%s", TIMEOUT_MINUTES, log).isTrue();
        assertThat(process.exitValue()).as("browser flows:%n%s", log).isZero();
        assertThat(log).contains(" passed, 0 failed");
    }
}
