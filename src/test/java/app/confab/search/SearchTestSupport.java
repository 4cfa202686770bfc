package app.confab.search;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import app.confab.account.TokenService;
import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Search tests: real server and database, data written with {@link SearchFixtures}. */
abstract class SearchTestSupport extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TokenService tokens;

    SearchFixtures fixtures;

    @BeforeEach
    void setUpFixtures() {
        fixtures = new SearchFixtures(jdbc, tokens);
    }

    /** GET /api/messages/search with q and further "name=value" parameters (values are encoded here). */
    Api.Response search(Users.TestUser user, String q, String... parameters) {
        StringBuilder path = new StringBuilder("/api/messages/search?");
        if (q != null) {
            path.append("q=").append(encode(q));
        }
        for (String parameter : parameters) {
            int equals = parameter.indexOf('=');
            path.append('&').append(parameter, 0, equals + 1).append(encode(parameter.substring(equals + 1)));
        }
        return api.get(path.toString(), user.token());
    }

    /** The ids of the results of a successful search, in order. */
    List<UUID> ids(Users.TestUser user, String q, String... parameters) {
        return ids(ok(search(user, q, parameters)));
    }

    static JsonNode ok(Api.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.body();
    }

    static List<UUID> ids(JsonNode body) {
        List<UUID> ids = new ArrayList<>();
        body.path("results").forEach(result -> ids.add(UUID.fromString(result.path("id").asString())));
        return ids;
    }

    static String content(JsonNode body, UUID messageId) {
        for (JsonNode result : body.path("results")) {
            if (result.path("id").asString().equals(messageId.toString())) {
                return result.path("content").asString();
            }
        }
        throw new AssertionError("No result " + messageId + " in " + body);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
