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
 * The admin console in real Chromium (web/e2e/admin-flows.mjs through web/e2e/run.mjs): an
 * administrator closes registration, invites a colleague who registers through the link, and
 * deactivates another user, whose session ends; a member sees no console.
 */
class AdminConsoleIT extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void reopenRegistration() {
        jdbc.sql("DELETE FROM app_settings WHERE key = 'admin.settings'").update();
    }

    @Test
    void adminConsoleFlowsPass() throws IOException, InterruptedException {
        Path web = Path.of("web").toAbsolutePath();
        Path chromium = Path.of(System.getenv().getOrDefault("CONFAB_CHROMIUM", "/usr/bin/chromium"));
        assertThat(Files.isExecutable(chromium)).as("Chromium is needed: apt-get install -y chromium").isTrue();
        Users.TestUser admin = users.register("console_admin");
        jdbc.sql("UPDATE users SET role = 'admin' WHERE id = :id").param("id", admin.id()).update();

        ProcessBuilder builder = new ProcessBuilder(System.getProperty("confab.node", "node"), "e2e/run.mjs",
                "http://localhost:" + port)
                .directory(web.toFile())
                .redirectErrorStream(true);
        builder.environment().put("CONFAB_E2E_MODULE", "./admin-flows.mjs");
        builder.environment().put("CONFAB_ADMIN_USERNAME", admin.username());
        builder.environment().put("CONFAB_ADMIN_PASSWORD", Users.PASSWORD);
        builder.environment().put("CONFAB_SCREENSHOTS", web.resolveSibling("target/screenshots").toAbsolutePath().toString());
        builder.environment().put("CONFAB_CHROMIUM", chromium.toString());
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    System.out.println("[admin-e2e] " + line);
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        boolean finished = process.waitFor(8, TimeUnit.MINUTES);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        reader.join(10_000);
        String log;
        synchronized (output) {
            log = output.toString();
        }
        assertThat(finished).as("admin browser flows finished:%n%s", log).isTrue();
        assertThat(process.exitValue()).as("admin browser flows:%n%s", log).isZero();
        assertThat(log).contains(" passed, 0 failed");
    }
}
