package app.confab.contact;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import app.confab.stream.EventStore;
import app.confab.stream.StreamEvent;
import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class ContactFlowTest extends IntegrationTest {

    @Autowired
    EventStore eventStore;

    @Autowired
    ContactService contactService;

    private Api.Response request(Users.TestUser from, Map<String, Object> body) {
        return api.post("/api/contacts", from.token(), body);
    }

    private List<JsonNode> list(String path, Users.TestUser who) {
        Api.Response response = api.get(path, who.token());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.body().has("nextCursor")).isTrue();
        assertThat(response.body().has("hasMore")).isTrue();
        List<JsonNode> entries = new ArrayList<>();
        response.body().path("data").forEach(entries::add);
        return entries;
    }

    private static List<String> otherUsernames(List<JsonNode> entries) {
        return entries.stream().map(entry -> entry.path("user").path("username").asString()).toList();
    }

    /** The types of the user-addressed events a user has received, oldest first. */
    private List<String> eventTypes(Users.TestUser who) {
        return eventStore.readForUser(who.id(), 0, 1000).stream().map(StreamEvent::type).toList();
    }

    private JsonNode lastEvent(Users.TestUser who, String type) {
        List<StreamEvent> events = eventStore.readForUser(who.id(), 0, 1000).stream()
                .filter(event -> event.type().equals(type)).toList();
        assertThat(events).as(type + " for " + who.username()).isNotEmpty();
        return Api.json().readTree(events.getLast().payload());
    }

    private void becomeContacts(Users.TestUser a, Users.TestUser b) {
        assertThat(request(a, Map.of("userId", b.id().toString())).status()).isEqualTo(201);
        assertThat(api.put("/api/contacts/" + a.id() + "/accept", b.token(), null).status()).isEqualTo(200);
    }

    @Test
    void requestThenAcceptMakesBothContactsAndTellsBothSides() {
        Users.TestUser alice = users.register("alice");
        Users.TestUser bob = users.register("bob");

        Api.Response sent = request(alice, Map.of("username", bob.username().toUpperCase()));
        assertThat(sent.status()).isEqualTo(201);
        JsonNode contact = sent.body().path("contact");
        assertThat(contact.path("status").asString()).isEqualTo("pending");
        assertThat(contact.path("direction").asString()).isEqualTo("outgoing");
        assertThat(contact.path("userId").asString()).isEqualTo(bob.id().toString());
        assertThat(contact.path("user").path("username").asString()).isEqualTo(bob.username());
        assertThat(contact.path("id").asString()).isNotBlank();
        assertThat(sent.text()).doesNotContainIgnoringCase("password");

        List<JsonNode> bobPending = list("/api/contacts/pending", bob);
        assertThat(otherUsernames(bobPending)).containsExactly(alice.username());
        assertThat(bobPending.getFirst().path("direction").asString()).isEqualTo("incoming");
        List<JsonNode> alicePending = list("/api/contacts/pending", alice);
        assertThat(otherUsernames(alicePending)).containsExactly(bob.username());
        assertThat(alicePending.getFirst().path("direction").asString()).isEqualTo("outgoing");
        assertThat(list("/api/contacts", alice)).isEmpty();
        assertThat(list("/api/contacts", bob)).isEmpty();

        assertThat(request(alice, Map.of("username", bob.username())).status()).as("already pending").isEqualTo(409);
        Api.Response ownAccept = api.put("/api/contacts/" + bob.id() + "/accept", alice.token(), null);
        assertThat(ownAccept.status()).isEqualTo(403);
        assertThat(ownAccept.errorCode()).isEqualTo("FORBIDDEN");

        // Bob accepts by his own contact row id.
        String bobRowId = bobPending.getFirst().path("id").asString();
        Api.Response accepted = api.put("/api/contacts/" + bobRowId + "/accept", bob.token(), null);
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.body().path("contact").path("status").asString()).isEqualTo("accepted");
        assertThat(accepted.body().path("contact").path("acceptedAt").asString()).isNotBlank();
        assertThat(api.put("/api/contacts/" + alice.id() + "/accept", bob.token(), null).status())
                .as("accepting again changes nothing").isEqualTo(200);

        List<JsonNode> aliceContacts = list("/api/contacts", alice);
        assertThat(otherUsernames(aliceContacts)).containsExactly(bob.username());
        JsonNode bobProfile = aliceContacts.getFirst().path("user");
        assertThat(bobProfile.path("id").asString()).isEqualTo(bob.id().toString());
        assertThat(bobProfile.path("status").asString()).isEqualTo("offline");
        assertThat(bobProfile.has("lastSeen")).isTrue();
        assertThat(bobProfile.has("displayName")).isTrue();
        assertThat(otherUsernames(list("/api/contacts", bob))).containsExactly(alice.username());
        assertThat(list("/api/contacts/pending", alice)).isEmpty();
        assertThat(list("/api/contacts/pending", bob)).isEmpty();
        assertThat(request(alice, Map.of("userId", bob.id().toString())).status()).as("already contacts").isEqualTo(409);
        assertThat(request(bob, Map.of("userId", alice.id().toString())).status()).as("already contacts").isEqualTo(409);

        assertThat(eventTypes(bob)).containsExactly("contact:request", "contact:accepted");
        assertThat(eventTypes(alice)).containsExactly("contact:request", "contact:accepted");
        assertThat(lastEvent(bob, "contact:request").path("contact").path("direction").asString()).isEqualTo("incoming");
        assertThat(lastEvent(bob, "contact:request").path("contact").path("userId").asString()).isEqualTo(alice.id().toString());
        assertThat(lastEvent(alice, "contact:accepted").path("contact").path("user").path("username").asString())
                .isEqualTo(bob.username());
    }

    @Test
    void askingSomeoneWhoAlreadyAskedYouAcceptsAtOnce() {
        Users.TestUser alice = users.register("mut_a");
        Users.TestUser bob = users.register("mut_b");
        assertThat(request(alice, Map.of("userId", bob.id().toString())).status()).isEqualTo(201);

        Api.Response back = request(bob, Map.of("username", alice.username()));
        assertThat(back.status()).isEqualTo(201);
        assertThat(back.body().path("contact").path("status").asString()).isEqualTo("accepted");
        assertThat(otherUsernames(list("/api/contacts", alice))).containsExactly(bob.username());
        assertThat(eventTypes(alice)).containsExactly("contact:request", "contact:accepted");
    }

    @Test
    void deleteCancelsDeclinesAndRemoves() {
        Users.TestUser alice = users.register("del_a");
        Users.TestUser bob = users.register("del_b");
        Users.TestUser carol = users.register("del_c");

        // Cancel an outgoing request, by the other user's id.
        request(alice, Map.of("userId", bob.id().toString()));
        assertThat(api.delete("/api/contacts/" + bob.id(), alice.token()).status()).isEqualTo(204);
        assertThat(list("/api/contacts/pending", bob)).isEmpty();
        assertThat(list("/api/contacts/pending", alice)).isEmpty();
        assertThat(lastEvent(bob, "contact:removed").path("userId").asString()).isEqualTo(alice.id().toString());

        // Decline an incoming request, by the contact row id.
        request(carol, Map.of("userId", alice.id().toString()));
        String rowId = list("/api/contacts/pending", alice).getFirst().path("id").asString();
        assertThat(api.delete("/api/contacts/" + rowId, alice.token()).status()).isEqualTo(204);
        assertThat(list("/api/contacts/pending", carol)).isEmpty();
        assertThat(lastEvent(alice, "contact:removed").path("contactId").asString()).isEqualTo(rowId);

        // Remove an accepted contact; either side can ask again afterwards.
        becomeContacts(alice, bob);
        assertThat(api.delete("/api/contacts/" + alice.id(), bob.token()).status()).isEqualTo(204);
        assertThat(list("/api/contacts", alice)).isEmpty();
        assertThat(list("/api/contacts", bob)).isEmpty();
        assertThat(eventTypes(alice)).endsWith("contact:removed");
        assertThat(eventTypes(bob)).endsWith("contact:removed");
        assertThat(request(bob, Map.of("userId", alice.id().toString())).status()).isEqualTo(201);

        Api.Response again = api.delete("/api/contacts/" + carol.id(), alice.token());
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.errorCode()).isEqualTo("NOT_FOUND");
    }

    @Test
    void badRequestsAreRefusedWithTheRightCode() {
        Users.TestUser alice = users.register("bad_a");

        Api.Response self = request(alice, Map.of("username", alice.username()));
        assertThat(self.status()).isEqualTo(400);
        assertThat(self.errorCode()).isEqualTo("VALIDATION_ERROR");
        assertThat(request(alice, Map.of("userId", alice.id().toString())).status()).isEqualTo(400);

        assertThat(request(alice, Map.of("username", Users.uniqueName("ghost"))).status()).isEqualTo(404);
        Api.Response unknownId = request(alice, Map.of("userId", UUID.randomUUID().toString()));
        assertThat(unknownId.status()).isEqualTo(404);
        assertThat(unknownId.errorCode()).isEqualTo("NOT_FOUND");

        Api.Response badId = request(alice, Map.of("userId", "nope"));
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.body().path("error").path("details").get(0).path("field").asString()).isEqualTo("userId");

        Api.Response empty = request(alice, Map.of());
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body().path("error").path("details").size()).isEqualTo(2);
        assertThat(request(alice, Map.of("username", 42)).status()).isEqualTo(400);

        assertThat(api.put("/api/contacts/" + UUID.randomUUID() + "/accept", alice.token(), null).status()).isEqualTo(404);
        assertThat(api.put("/api/contacts/xyz/accept", alice.token(), null).status()).isEqualTo(400);
        assertThat(api.delete("/api/contacts/xyz", alice.token()).status()).isEqualTo(400);
        assertThat(api.get("/api/contacts", null).status()).isEqualTo(401);
        assertThat(api.post("/api/contacts", null, Map.of("username", alice.username())).status()).isEqualTo(401);
        assertThat(api.get("/api/contacts?limit=0", alice.token()).status()).isEqualTo(400);
    }

    @Test
    void blockingEndsTheRelationshipAndStopsNewRequestsUntilLifted() {
        Users.TestUser alice = users.register("blk_a");
        Users.TestUser bob = users.register("blk_b");
        becomeContacts(alice, bob);

        Api.Response blocked = api.post("/api/contacts/" + bob.id() + "/block", alice.token(), null);
        assertThat(blocked.status()).isEqualTo(201);
        JsonNode block = blocked.body().path("contact");
        assertThat(block.path("status").asString()).isEqualTo("blocked");
        assertThat(block.path("userId").asString()).isEqualTo(bob.id().toString());
        assertThat(block.path("blockedAt").asString()).isNotBlank();
        assertThat(api.post("/api/contacts/" + bob.id() + "/block", alice.token(), null).status())
                .as("blocking again").isEqualTo(200);

        assertThat(list("/api/contacts", alice)).isEmpty();
        assertThat(list("/api/contacts", bob)).isEmpty();
        List<JsonNode> aliceBlocked = list("/api/contacts/blocked", alice);
        assertThat(otherUsernames(aliceBlocked)).containsExactly(bob.username());
        assertThat(aliceBlocked.getFirst().path("id").asString()).isEqualTo(block.path("id").asString());
        assertThat(list("/api/contacts/blocked", bob)).as("only the blocker sees the block").isEmpty();
        assertThat(contactService.isBlockedEitherWay(alice.id(), bob.id())).isTrue();
        assertThat(contactService.isBlockedEitherWay(bob.id(), alice.id())).isTrue();

        Api.Response bobAsks = request(bob, Map.of("userId", alice.id().toString()));
        assertThat(bobAsks.status()).isEqualTo(403);
        assertThat(bobAsks.errorCode()).isEqualTo("FORBIDDEN");
        assertThat(request(alice, Map.of("userId", bob.id().toString())).status()).isEqualTo(403);
        assertThat(api.delete("/api/contacts/" + bob.id(), alice.token()).status())
                .as("a block is lifted with DELETE .../block").isEqualTo(409);

        assertThat(eventTypes(bob)).endsWith("contact:removed");
        assertThat(eventTypes(alice)).endsWith("contact:removed", "contact:blocked");

        // Lift it by the block's row id; the two are strangers again.
        assertThat(api.delete("/api/contacts/" + block.path("id").asString() + "/block", alice.token()).status()).isEqualTo(204);
        assertThat(list("/api/contacts/blocked", alice)).isEmpty();
        assertThat(contactService.isBlockedEitherWay(alice.id(), bob.id())).isFalse();
        assertThat(eventTypes(alice)).endsWith("contact:unblocked");
        assertThat(api.delete("/api/contacts/" + bob.id() + "/block", alice.token()).status()).isEqualTo(404);
        assertThat(list("/api/contacts", alice)).isEmpty();
        assertThat(request(bob, Map.of("userId", alice.id().toString())).status()).isEqualTo(201);
    }

    @Test
    void anyUserCanBeBlockedAndBlocksFromBothSidesAreIndependent() {
        Users.TestUser alice = users.register("blk2_a");
        Users.TestUser bob = users.register("blk2_b");

        assertThat(api.post("/api/contacts/" + bob.id() + "/block", alice.token(), null).status()).isEqualTo(201);
        assertThat(api.post("/api/contacts/" + alice.id() + "/block", bob.token(), null).status()).isEqualTo(201);
        assertThat(api.delete("/api/contacts/" + bob.id() + "/block", alice.token()).status()).isEqualTo(204);
        assertThat(contactService.isBlockedEitherWay(alice.id(), bob.id())).as("bob's block remains").isTrue();
        assertThat(request(alice, Map.of("userId", bob.id().toString())).status()).isEqualTo(403);

        // A pending request is ended by a block, and the requester is told.
        Users.TestUser carol = users.register("blk2_c");
        request(carol, Map.of("userId", alice.id().toString()));
        assertThat(api.post("/api/contacts/" + carol.id() + "/block", alice.token(), null).status()).isEqualTo(201);
        assertThat(list("/api/contacts/pending", carol)).isEmpty();
        assertThat(list("/api/contacts/pending", alice)).isEmpty();
        assertThat(eventTypes(carol)).containsExactly("contact:request", "contact:removed");

        assertThat(api.post("/api/contacts/" + UUID.randomUUID() + "/block", alice.token(), null).status()).isEqualTo(404);
        assertThat(api.post("/api/contacts/" + alice.id() + "/block", alice.token(), null).status()).isEqualTo(400);
    }

    @Test
    void contactListsArePaginated() {
        Users.TestUser alice = users.register("page_a");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Users.TestUser other = users.register("page_" + i);
            becomeContacts(other, alice);
            expected.add(other.username());
        }
        expected.sort(String.CASE_INSENSITIVE_ORDER);

        Api.Response first = api.get("/api/contacts?limit=2", alice.token());
        assertThat(first.body().path("data").size()).isEqualTo(2);
        assertThat(first.body().path("hasMore").asBoolean()).isTrue();
        Api.Response second = api.get("/api/contacts?limit=2&cursor=" + first.body().path("nextCursor").asString(), alice.token());
        assertThat(second.body().path("data").size()).isEqualTo(1);
        assertThat(second.body().path("hasMore").asBoolean()).isFalse();
        assertThat(second.body().path("nextCursor").isNull()).isTrue();

        List<String> seen = new ArrayList<>(otherUsernames(list("/api/contacts?limit=2", alice)));
        second.body().path("data").forEach(entry -> seen.add(entry.path("user").path("username").asString()));
        assertThat(seen).containsExactlyElementsOf(expected);
    }
}
