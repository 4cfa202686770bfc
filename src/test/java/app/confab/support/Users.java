package app.confab.support;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Makes signed-in users for tests through the real registration endpoint. */
public class Users {

    public static final String PASSWORD = "Secret123!";
    private static final AtomicInteger counter = new AtomicInteger();

    private final Api api;

    public Users(Api api) {
        this.api = api;
    }

    /** A unique username with the given prefix (letters, digits and _ only, at most 50 chars). */
    public static String uniqueName(String prefix) {
        String suffix = Integer.toString(counter.incrementAndGet(), 36) + UUID.randomUUID().toString().substring(0, 6);
        return (prefix + "_" + suffix).replace('-', '_');
    }

    public TestUser register(String prefix) {
        String username = uniqueName(prefix);
        Api.Response response = api.post("/api/auth/register", null,
                Map.of("username", username, "password", PASSWORD, "passwordConfirm", PASSWORD));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        JsonNode body = response.body();
        return new TestUser(UUID.fromString(body.path("user").path("id").asString()), username,
                body.path("accessToken").asString(), body.path("refreshToken").asString());
    }

    public record TestUser(UUID id, String username, String token, String refreshToken) {
    }
}
