package app.confab.platform;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the server writes while serving requests: the audit trail of sign-ins, access lines with
 * request and user ids, JSON when the output is not a terminal (as under Maven), and never a
 * password or token. ClusterIT checks the same on real {@code java -jar} nodes.
 */
@ExtendWith(OutputCaptureExtension.class)
class LoggingTest extends IntegrationTest {

    @Test
    void signInsAreAuditedAndNoPasswordOrTokenIsEverLogged(CapturedOutput output) {
        Users.TestUser user = users.register("logging");
        String wrongPassword = "Wrong-" + UUID.randomUUID();
        assertThat(api.post("/api/auth/login", null, Map.of("username", user.username(), "password", wrongPassword))
                .status()).isEqualTo(401);
        Api.Response login = api.post("/api/auth/login", null, Map.of("username", user.username(), "password", Users.PASSWORD));
        assertThat(login.status()).isEqualTo(200);
        String token = login.body().path("accessToken").asString();
        assertThat(api.get("/api/users/me", token).status()).isEqualTo(200);
        assertThat(api.get("/api/users/" + user.id(), token).status()).isEqualTo(200);

        String written = output.getAll();
        assertThat(written).contains("confab.audit");
        for (String secret : List.of(Users.PASSWORD, wrongPassword, token, login.body().path("refreshToken").asString(),
                user.token(), user.refreshToken())) {
            assertThat(written).doesNotContain(secret);
        }

        if (!LogFormat.runningInTerminal()) {
            List<JsonNode> events = written.lines().filter(line -> line.startsWith("{"))
                    .map(line -> Api.json().readTree(line)).toList();
            assertThat(events).isNotEmpty().allSatisfy(event -> assertThat(event.has("timestamp") && event.has("level")
                    && event.has("logger") && event.has("message")).as(event.toString()).isTrue());
            assertThat(events).anySatisfy(event -> {
                assertThat(event.path("audit").asString()).isEqualTo("login_failed");
                assertThat(event.path("username").asString()).isEqualTo(user.username());
                assertThat(event.path("address").asString()).isNotBlank();
            });
            assertThat(events).anySatisfy(event -> {
                assertThat(event.path("audit").asString()).isEqualTo("login");
                assertThat(event.path("actorId").asString()).isEqualTo(user.id().toString());
            });
            assertThat(events).anySatisfy(event -> {
                assertThat(event.path("audit").asString()).isEqualTo("register");
                assertThat(event.path("actorId").asString()).isEqualTo(user.id().toString());
            });
            assertThat(events).anySatisfy(event -> {
                assertThat(event.path("logger").asString()).isEqualTo("confab.access");
                assertThat(event.path("message").asString()).startsWith("GET /api/users/me 200");
                assertThat(event.path("userId").asString()).isEqualTo(user.id().toString());
                assertThat(event.path("requestId").asString()).isNotBlank();
                assertThat(event.path("http.method").asString()).isEqualTo("GET");
                assertThat(event.path("http.route").asString()).isEqualTo("/api/users/me");
                assertThat(event.path("http.status").asInt()).isEqualTo(200);
                assertThat(event.path("duration_ms").isNumber()).isTrue();
                assertThat(event.path("client.address").asString()).isNotBlank();
                assertThat(event.path("user.id").asString()).isEqualTo(user.id().toString());
                assertThat(event.path("request.id").asString()).isEqualTo(event.path("requestId").asString());
            });
            // Routes, never raw ids, in access lines.
            assertThat(events).anySatisfy(event -> {
                assertThat(event.path("http.route").asString()).isEqualTo("/api/users/{id}");
                assertThat(event.path("message").asString()).doesNotContain(user.id().toString());
            });
            assertThat(events).allSatisfy(event -> {
                assertThat(event.path("service").asString()).as(event.toString()).isEqualTo("confab");
                assertThat(event.path("node").asString()).as(event.toString()).isNotBlank();
                assertThat(event.path("version").asString()).as(event.toString()).isNotBlank().doesNotContain("@");
            });
        } else {
            assertThat(written).contains("Failed sign-in for '" + user.username() + "'", "User " + user.id() + " signed in");
        }
    }

    @Test
    void auditTextCannotForgeLogLines() {
        assertThat(AuditLog.clean("eve\n{\"audit\":\"login\"}")).doesNotContain("\n");
        assertThat(AuditLog.clean("x".repeat(500))).hasSizeLessThan(110);
    }

    @Test
    void signedUrlsAreCutBeforeTheirSignature() {
        assertThat(RequestIdFilter.loggablePath("/api/attachments/1/signed/abc.def/medium")).isEqualTo("/api/attachments/1/signed/…");
        assertThat(RequestIdFilter.loggablePath("/api/chats/1/messages")).isEqualTo("/api/chats/1/messages");
    }
}
