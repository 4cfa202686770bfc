package app.confab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.confab.attachment.TestImages;
import app.confab.attachment.Uploads;
import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users.TestUser;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A non-member learns nothing from ids: for every route that takes a chat, message, reaction or
 * attachment id, a real id of someone else's thing gets exactly the status, code and message of
 * an id that never existed.
 */
class UniformNotFoundTest extends IntegrationTest {

    private record Probe(String method, String pathWithRealIds, String pathWithMadeUpIds, Object body) {
    }

    @Test
    void aNonMemberGetsTheSameAnswerForRealAndMadeUpIds() {
        TestUser owner = users.register("nf_owner");
        TestUser member = users.register("nf_member");
        TestUser outsider = users.register("nf_outsider");
        Uploads uploads = new Uploads(api.baseUrl());

        String chat = created(api.post("/api/chats/group", owner.token(),
                Map.of("name", "secret plans", "participantIds", List.of(member.id())))).path("chat").path("id").asString();
        String sentImage = uploaded(uploads, member);
        String unsentImage = uploaded(uploads, member);
        String message = created(api.post("/api/chats/" + chat + "/messages", member.token(),
                Map.of("content", "hello there", "attachmentIds", List.of(sentImage)))).path("message").path("id").asString();
        String reaction = created(api.post("/api/messages/" + message + "/reactions", owner.token(),
                Map.of("emoji", "👍"))).path("reaction").path("id").asString();

        String fakeChat = UUID.randomUUID().toString();
        String fakeMessage = UUID.randomUUID().toString();
        String fakeReaction = UUID.randomUUID().toString();
        String fakeImage = UUID.randomUUID().toString();
        List<Probe> probes = List.of(
                new Probe("GET", "/api/messages/" + message, "/api/messages/" + fakeMessage, null),
                new Probe("PUT", "/api/messages/" + message, "/api/messages/" + fakeMessage, Map.of("content", "mine now")),
                new Probe("DELETE", "/api/messages/" + message, "/api/messages/" + fakeMessage, null),
                new Probe("POST", "/api/messages/" + message + "/reactions", "/api/messages/" + fakeMessage + "/reactions",
                        Map.of("emoji", "👎")),
                new Probe("DELETE", "/api/messages/" + message + "/reactions/" + reaction,
                        "/api/messages/" + fakeMessage + "/reactions/" + fakeReaction, null),
                new Probe("GET", "/api/chats/" + chat, "/api/chats/" + fakeChat, null),
                new Probe("PUT", "/api/chats/" + chat, "/api/chats/" + fakeChat, Map.of("name", "taken over")),
                new Probe("DELETE", "/api/chats/" + chat, "/api/chats/" + fakeChat, null),
                new Probe("GET", "/api/chats/" + chat + "/messages", "/api/chats/" + fakeChat + "/messages", null),
                new Probe("GET", "/api/chats/" + chat + "/messages?around=" + message,
                        "/api/chats/" + fakeChat + "/messages?around=" + fakeMessage, null),
                new Probe("POST", "/api/chats/" + chat + "/messages", "/api/chats/" + fakeChat + "/messages",
                        Map.of("content", "let me in")),
                new Probe("POST", "/api/chats/" + chat + "/read", "/api/chats/" + fakeChat + "/read",
                        Map.of("messageId", message)),
                new Probe("POST", "/api/chats/" + chat + "/participants", "/api/chats/" + fakeChat + "/participants",
                        Map.of("userIds", List.of(outsider.id()))),
                new Probe("PUT", "/api/chats/" + chat + "/participants/" + member.id(),
                        "/api/chats/" + fakeChat + "/participants/" + member.id(), Map.of("role", "admin")),
                new Probe("DELETE", "/api/chats/" + chat + "/participants/" + member.id(),
                        "/api/chats/" + fakeChat + "/participants/" + member.id(), null),
                new Probe("POST", "/api/chats/" + chat + "/leave", "/api/chats/" + fakeChat + "/leave", null),
                new Probe("GET", "/api/messages/search?q=hello&chatId=" + chat, "/api/messages/search?q=hello&chatId=" + fakeChat, null),
                new Probe("GET", "/api/attachments/" + sentImage, "/api/attachments/" + fakeImage, null),
                new Probe("GET", "/api/attachments/" + sentImage + "/medium", "/api/attachments/" + fakeImage + "/medium", null),
                new Probe("GET", "/api/attachments/" + sentImage + "/thumbnail", "/api/attachments/" + fakeImage + "/thumbnail", null),
                new Probe("DELETE", "/api/attachments/" + sentImage, "/api/attachments/" + fakeImage, null),
                new Probe("GET", "/api/attachments/" + unsentImage, "/api/attachments/" + fakeImage, null),
                new Probe("DELETE", "/api/attachments/" + unsentImage, "/api/attachments/" + fakeImage, null));

        List<String> differences = new ArrayList<>();
        for (Probe probe : probes) {
            Api.Response real = api.send(probe.method(), probe.pathWithRealIds(), outsider.token(), probe.body(), null);
            Api.Response madeUp = api.send(probe.method(), probe.pathWithMadeUpIds(), outsider.token(), probe.body(), null);
            String realAnswer = answer(real);
            String madeUpAnswer = answer(madeUp);
            if (real.status() != 404 || !realAnswer.equals(madeUpAnswer)) {
                differences.add(probe.method() + " " + probe.pathWithRealIds() + ": real " + realAnswer + " / made-up " + madeUpAnswer);
            }
        }
        assertThat(differences).isEmpty();

        // Nothing the outsider tried changed anything.
        Api.Response stillThere = api.get("/api/messages/" + message, member.token());
        assertThat(stillThere.status()).isEqualTo(200);
        assertThat(stillThere.body().path("message").path("content").asString()).isEqualTo("hello there");
    }

    private static String answer(Api.Response response) {
        JsonNode error = response.body() == null ? null : response.body().path("error");
        return response.status() + " " + (error == null ? response.text()
                : error.path("code").asString() + " \"" + error.path("message").asString() + "\" " + error.path("details"));
    }

    private static JsonNode created(Api.Response response) {
        assertThat(response.status()).as(response.text()).isIn(200, 201);
        return response.body();
    }

    private static String uploaded(Uploads uploads, TestUser user) {
        Api.Response response = uploads.upload(user.token(), List.of(Uploads.part("p.png", "image/png", TestImages.png(40, 30))));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.body().path("attachments").get(0).path("id").asString();
    }
}
