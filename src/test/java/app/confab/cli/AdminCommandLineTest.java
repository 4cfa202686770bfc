package app.confab.cli;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import app.confab.support.IntegrationTest;
import app.confab.support.TestDatabase;
import app.confab.support.Users;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code admin grant} and {@code admin reset-password} run as the real main method in a separate
 * JVM against this test server's database: DATABASE_URL when set, else the embedded PostgreSQL the
 * server runs in its data directory (found through its postmaster.pid).
 */
class AdminCommandLineTest extends IntegrationTest {

    record Run(int exitCode, String out, String err) {
    }

    @Test
    void grantMakesAnAdministrator() throws Exception {
        users.register("cli_first"); // in a fresh database the first account is already an administrator
        Users.TestUser member = users.register("cli_member");
        assertThat(api.get("/api/admin/users", member.token()).status()).isEqualTo(403);

        Run run = confab("admin", "grant", member.username());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(api.get("/api/admin/users", member.token()).status()).isEqualTo(200);
        assertThat(api.get("/api/users/me", member.token()).body().path("user").path("role").asString()).isEqualTo("admin");
    }

    @Test
    void resetPasswordPrintsAOneTimePasswordAndEndsSessions() throws Exception {
        Users.TestUser locked = users.register("cli_locked");
        Run run = confab("admin", "reset-password", locked.username());
        assertThat(run.exitCode()).as(run.err()).isZero();
        String password = run.out().strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(16);

        assertThat(api.post("/api/auth/refresh", null, Map.of("refreshToken", locked.refreshToken())).status()).isEqualTo(401);
        assertThat(api.post("/api/auth/login", null, Map.of("username", locked.username(), "password", Users.PASSWORD)).status())
                .isEqualTo(401);
        assertThat(api.post("/api/auth/login", null, Map.of("username", locked.username(), "password", password)).status())
                .isEqualTo(200);
    }

    @Test
    void unknownUsersAndBadUsageFail() throws Exception {
        assertThat(confab("admin", "grant", "nobody_" + System.nanoTime()).exitCode()).isEqualTo(1);
        Run usage = confab("admin", "promote");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).contains("Usage");
    }

    private Run confab(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "app.confab.ConfabApplication"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("DATABASE_URL");
        if (TestDatabase.externalUrl() != null) {
            builder.environment().put("DATABASE_URL", TestDatabase.sharedExternalDatabase());
        } else {
            builder.environment().put("DATA_DIR", TestDatabase.sharedDataDir().toString());
        }
        File err = File.createTempFile("confab-cli", ".err");
        builder.redirectError(err);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String errText = java.nio.file.Files.readString(err.toPath());
        err.delete();
        return new Run(process.exitValue(), out, errText);
    }
}
