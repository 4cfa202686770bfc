package app.confab.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.OpsTools;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The API documentation as an integrator meets it: the browsable UI without a token, and a document redocly accepts. */
class OpenApiLintTest extends IntegrationTest {

    @Test
    void theDocsUiOpensWithoutAToken() throws Exception {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/docs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui");

        Path base = Path.of(page.uri().getPath()).getParent();
        for (String asset : new String[] {"swagger-ui-bundle.js", "swagger-initializer.js", "swagger-ui.css"}) {
            HttpResponse<String> file = client.send(HttpRequest.newBuilder(
                    URI.create(api.baseUrl() + base.resolve(asset))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(file.statusCode()).as(asset).isEqualTo(200);
        }
        Api.Response config = api.get("/api/docs/openapi.json/swagger-config", null);
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.body().path("url").asString()).isEqualTo("/api/docs/openapi.json");
    }

    @Test
    void everyOperationIsDescribedWithTheSharedErrorFormat() {
        JsonNode document = api.get("/api/docs/openapi.json", null).body();
        int operations = 0;
        for (var path : document.path("paths").properties()) {
            for (var operation : path.getValue().properties()) {
                String name = operation.getKey() + " " + path.getKey();
                JsonNode op = operation.getValue();
                operations++;
                assertThat(op.path("summary").asString()).as(name).isNotBlank();
                assertThat(op.path("description").asString()).as(name).isNotBlank();
                assertThat(op.path("responses").path("429").path("$ref").asString()).as(name)
                        .isEqualTo("#/components/responses/TooManyRequests");
                op.path("responses").properties().forEach(response -> {
                    assertThat(response.getValue().path("content").has("*/*")).as(name + " " + response.getKey()).isFalse();
                    if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                        assertThat(response.getValue().path("$ref").asString()).as(name + " " + response.getKey())
                                .startsWith("#/components/responses/");
                    }
                });
            }
        }
        assertThat(operations).isGreaterThan(40);
        assertThat(document.at("/components/responses/NotFound/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/ErrorResponse");
        assertThat(document.at("/components/schemas/ErrorResponse/properties/error/required").toString())
                .contains("code", "message", "details", "timestamp", "requestId");
        assertThat(document.at("/components/schemas/LoginRequest/required").toString()).contains("username", "password");
        assertThat(document.at("/components/schemas/LoginRequest/example/username").asString()).isEqualTo("alice");

        JsonNode upload = document.at("/paths/~1api~1attachments~1upload/post");
        assertThat(upload.path("parameters").toString()).doesNotContain("images");
        assertThat(upload.at("/requestBody/content/multipart~1form-data/schema/properties/images/items/format").asString())
                .isEqualTo("binary");
        assertThat(document.at("/paths/~1api~1auth~1login/post/security").isArray()).isTrue();
        assertThat(document.at("/paths/~1api~1auth~1login/post/security").size()).isZero();
    }

    @Test
    void redoclyLintFindsNoProblems() throws Exception {
        Api.Response response = api.get("/api/docs/openapi.json", null);
        assertThat(response.status()).isEqualTo(200);
        Path document = OpsTools.writeTemp("openapi.json", response.text());
        OpsTools.Result lint = OpsTools.node("node_modules/@redocly/cli/bin/cli.js", "lint",
                "--config", "redocly.yaml", "--format", "stylish", document.toString());
        // redocly's summary line: "Woohoo! Your API description is valid." only with no error and no warning.
        assertThat(lint.output()).as(lint.output()).contains("Your API description is valid").doesNotContain("Validation failed");
        assertThat(lint.exitCode()).as(lint.output()).isZero();
    }
}
