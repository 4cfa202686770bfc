package app.confab;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiDocumentTest extends IntegrationTest {

    @Test
    void describesTheAccountEndpointsWithBearerAuthAndNoInternalParameters() {
        Api.Response response = api.get("/api/docs/openapi.json", null);
        assertThat(response.status()).isEqualTo(200);
        JsonNode paths = response.body().path("paths");
        assertThat(paths.has("/api/auth/refresh")).isTrue();
        assertThat(paths.has("/api/users/search")).isTrue();
        assertThat(paths.has("/api/contacts/{id}/block")).isTrue();
        assertThat(paths.has("/error")).isFalse();
        assertThat(response.body().path("components").path("securitySchemes").path("bearer").path("scheme").asString())
                .isEqualTo("bearer");

        List<String> parameters = new ArrayList<>();
        paths.forEach(path -> path.forEach(operation ->
                operation.path("parameters").forEach(parameter -> parameters.add(parameter.path("name").asString()))));
        assertThat(parameters).contains("q", "limit", "id").doesNotContain("caller");
    }
}
