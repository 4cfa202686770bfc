package app.confab;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
import static org.awaitility.Awaitility.await;

/**
 * Every kind of failure answers the one error JSON (docs/ARCHITECTURE.md, "The request path"), with the code its status implies, and a
 * requestId that is also the X-Request-Id header and appears in the server's log.
 */
@ExtendWith(OutputCaptureExtension.class)
class ErrorFormatTest extends IntegrationTest {

    private CapturedOutput output;

    /** Checks the error envelope and returns its body; waits for the request's log line. */
    private JsonNode assertError(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode error = response.body().path("error");
        assertThat(error.path("code").asString()).isEqualTo(code);
        assertThat(error.path("message").asString()).isNotBlank();
        assertThat(error.path("details").isArray()).isTrue();
        assertThat(Instant.parse(error.path("timestamp").asString())).isNotNull();
        String requestId = error.path("requestId").asString();
        assertThat(requestId).isNotBlank();
        assertThat(response.header("X-Request-Id")).isEqualTo(requestId);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output.getAll()).contains(requestId));
        return error;
    }

    @Test
    void validationErrorsListEveryBadField(CapturedOutput output) {
        this.output = output;
        JsonNode error = assertError(api.post("/api/auth/register", null,
                Map.of("username", "x", "password", "y", "passwordConfirm", "z")), 400, "VALIDATION_ERROR");
        assertThat(error.path("message").asString()).isEqualTo("Invalid request parameters");
        assertThat(error.path("details").valueStream().map(d -> d.path("field").asString()).distinct().toList())
                .containsExactlyInAnyOrder("username", "password", "passwordConfirm");
        error.path("details").forEach(detail -> assertThat(detail.path("message").asString()).isNotBlank());
    }

    @Test
    void unauthorizedForMissingOrBadTokensAndUnknownRoutesWithoutOne(CapturedOutput output) {
        this.output = output;
        assertError(api.get("/api/users/me", null), 401, "UNAUTHORIZED");
        assertError(api.get("/api/users/me", "not-a-token"), 401, "UNAUTHORIZED");
        assertError(api.get("/api/no/such/route", null), 401, "UNAUTHORIZED");
        assertError(api.send("GET", "/api/users/me", null, null, Map.of("Authorization", "Basic abc")), 401, "UNAUTHORIZED");
    }

    @Test
    void notFoundForUnknownRoutesWithATokenAndUnknownThings(CapturedOutput output) {
        this.output = output;
        Users.TestUser alice = users.register("nf");
        assertError(api.get("/api/no/such/route", alice.token()), 404, "NOT_FOUND");
        assertError(api.post("/api/no/such/route", alice.token(), Map.of("a", 1)), 404, "NOT_FOUND");
        assertError(api.get("/api/users/" + UUID.randomUUID(), alice.token()), 404, "NOT_FOUND");
        assertError(api.get("/definitely-not-a-page.json", null), 404, "NOT_FOUND");
    }

    @Test
    void forbiddenConflictAndMethodNotAllowed(CapturedOutput output) {
        this.output = output;
        Users.TestUser alice = users.register("fc_a");
        Users.TestUser bob = users.register("fc_b");
        api.post("/api/contacts", alice.token(), Map.of("userId", bob.id().toString()));
        assertError(api.put("/api/contacts/" + bob.id() + "/accept", alice.token(), null), 403, "FORBIDDEN");
        assertError(api.post("/api/auth/register", null, Map.of("username", alice.username(),
                "password", Users.PASSWORD, "passwordConfirm", Users.PASSWORD)), 409, "CONFLICT");
        assertError(api.delete("/api/users/me", alice.token()), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void tooManyFailedLoginsIsRateLimitedWithRetryAfter(CapturedOutput output) {
        this.output = output;
        Users.TestUser alice = users.register("rl");
        Map<String, String> wrong = Map.of("username", alice.username(), "password", "Wrong123!");
        for (int i = 0; i < 5; i++) {
            assertThat(api.post("/api/auth/login", null, wrong).status()).isEqualTo(401);
        }
        Api.Response limited = api.post("/api/auth/login", null, wrong);
        assertError(limited, 429, "RATE_LIMIT_EXCEEDED");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 15 * 60L);
    }

    @Test
    void serverFaultsAreInternalErrorsWithoutInternals(CapturedOutput output) {
        this.output = output;
        Users.TestUser alice = users.register("fault");
        Api.Response fault = api.get("/api/test-support/fault", alice.token());
        JsonNode error = assertError(fault, 500, "INTERNAL_ERROR");
        assertThat(error.path("message").asString()).isEqualTo("Internal server error");
        assertThat(fault.text()).doesNotContain("Deliberate").doesNotContain("Exception").doesNotContain("at app.");
        assertThat(output.getAll()).contains("Deliberate failure for a test");
        // The server is still fine.
        assertThat(api.get("/api/users/me", alice.token()).status()).isEqualTo(200);
    }

    @Test
    void malformedJsonWrongTypesAndWrongShapesAreValidationErrors(CapturedOutput output) {
        this.output = output;
        Users.TestUser alice = users.register("json");
        assertError(api.raw("POST", "/api/auth/login", null, "application/json", "{\"username\": "), 400, "VALIDATION_ERROR");
        assertError(api.raw("POST", "/api/auth/login", null, "application/json", "not json"), 400, "VALIDATION_ERROR");
        assertError(api.raw("POST", "/api/auth/login", null, "application/json", ""), 400, "VALIDATION_ERROR");
        JsonNode array = assertError(api.raw("POST", "/api/auth/login", null, "application/json", "[1,2]"), 400, "VALIDATION_ERROR");
        assertThat(array.path("details").get(0).path("field").asString()).isEqualTo("body");

        JsonNode number = assertError(api.post("/api/auth/register", null,
                Map.of("username", 12345, "password", Users.PASSWORD, "passwordConfirm", Users.PASSWORD)), 400, "VALIDATION_ERROR");
        assertThat(number.path("details").get(0).path("field").asString()).isEqualTo("username");
        assertThat(number.path("details").get(0).path("message").asString()).isEqualTo("Must be a string");

        JsonNode object = assertError(api.put("/api/users/me", alice.token(), Map.of("displayName", Map.of("a", 1))),
                400, "VALIDATION_ERROR");
        assertThat(object.path("details").get(0).path("field").asString()).isEqualTo("displayName");
        assertError(api.post("/api/contacts", alice.token(), Map.of("userId", true)), 400, "VALIDATION_ERROR");
        assertError(api.get("/api/users/search?q=a&limit=many", alice.token()), 400, "VALIDATION_ERROR");
    }

    @Test
    void wrongContentTypeIsRefused(CapturedOutput output) {
        this.output = output;
        String json = "{\"username\":\"a\",\"password\":\"b\"}";
        assertError(api.raw("POST", "/api/auth/login", null, "text/plain", json), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertError(api.raw("POST", "/api/auth/login", null, "application/x-www-form-urlencoded", "username=a"),
                415, "UNSUPPORTED_MEDIA_TYPE");
        assertError(api.raw("POST", "/api/auth/login", null, null, json), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void oversizedBodiesAreRefusedWithOrWithoutContentLength(CapturedOutput output) throws Exception {
        this.output = output;
        String big = "{\"username\":\"" + "a".repeat(1_100_000) + "\",\"password\":\"x\"}";
        assertError(api.raw("POST", "/api/auth/login", null, "application/json", big), 413, "PAYLOAD_TOO_LARGE");

        // Chunked: no Content-Length, so the limit trips while the body is read.
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
        Api.Response wrapped = new Api.Response(response.statusCode(), Api.json().readTree(response.body()),
                response.body(), response.headers().map());
        assertError(wrapped, 413, "PAYLOAD_TOO_LARGE");

        assertThat(api.get("/health", null).status()).as("the server is still up").isEqualTo(200);
    }

    @Test
    void aSaneClientRequestIdIsKept(CapturedOutput output) {
        this.output = output;
        String mine = "client-" + UUID.randomUUID();
        Api.Response response = api.send("GET", "/api/users/me", null, null, Map.of("X-Request-Id", mine));
        assertThat(assertError(response, 401, "UNAUTHORIZED").path("requestId").asString()).isEqualTo(mine);

        Api.Response insane = api.send("GET", "/api/users/me", null, null, Map.of("X-Request-Id", "<script>"));
        assertThat(assertError(insane, 401, "UNAUTHORIZED").path("requestId").asString()).startsWith("req-");
    }
}
