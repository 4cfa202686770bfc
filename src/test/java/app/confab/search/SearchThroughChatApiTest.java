package app.confab.search;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Messages written through the chat feature's REST API are searchable, edited and deleted as it stores them. */
class SearchThroughChatApiTest extends IntegrationTest {

    @Test
    void sentEditedAndDeletedMessagesAreSearchedAsTheChatFeatureStoresThem() {
        Users.TestUser alice = users.register("alice");
        Users.TestUser bob = users.register("bob");
        Api.Response group = api.post("/api/chats/group", alice.token(),
                Map.of("name", "Launch <Team> & Co", "participantIds", List.of(bob.id().toString())));
        assertThat(group.status()).as(group.text()).isEqualTo(201);
        String chatId = group.body().path("chat").path("id").asString();

        Api.Response sent = api.post("/api/chats/" + chatId + "/messages", alice.token(),
                Map.of("content", "The **launch** <script>alert('x')</script> is on Friday"));
        assertThat(sent.status()).as(sent.text()).isEqualTo(201);
        String messageId = sent.body().path("message").path("id").asString();

        JsonNode found = search(bob, "launch friday");
        assertThat(found.path("results")).hasSize(1);
        JsonNode result = found.path("results").get(0);
        assertThat(result.path("id").asString()).isEqualTo(messageId);
        assertThat(result.path("chatName").asString()).isEqualTo(group.body().path("chat").path("name").asString());
        assertThat(result.path("content").asString()).isEqualTo(
                "The <mark>launch</mark> &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; is on <mark>Friday</mark>");
        assertThat(search(bob, "\"<script>\"").path("results")).hasSize(1);

        Api.Response edited = api.put("/api/messages/" + messageId, alice.token(), Map.of("content", "Launch moved to Monday"));
        assertThat(edited.status()).as(edited.text()).isEqualTo(200);
        assertThat(search(bob, "friday").path("results")).isEmpty();
        assertThat(search(bob, "monday").path("results")).hasSize(1);

        assertThat(api.delete("/api/messages/" + messageId, alice.token()).status()).isEqualTo(204);
        assertThat(search(bob, "monday").path("results")).isEmpty();
        assertThat(search(bob, "launch").path("results")).isEmpty();
    }

    private JsonNode search(Users.TestUser user, String q) {
        Api.Response response = api.get("/api/messages/search?q=" + SearchTestSupport.encode(q), user.token());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.body();
    }
}
