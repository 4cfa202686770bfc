package app.confab.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class GroupChatTest extends ChatTestSupport {

    @Test
    void creatorOwnsTheGroupAndEveryMemberGetsItWithSlugAndDescription() {
        Users.TestUser alice = world.user("alice");
        Users.TestUser bob = world.user("bob");
        Users.TestUser carol = world.user("carol");
        String slug = "team-" + UUID.randomUUID().toString().substring(0, 8);

        Api.Response created = api.post("/api/chats/group", alice.token(), Map.of("name", "Team", "slug", slug.toUpperCase(),
                "description", "Where we talk", "participantIds", List.of(bob.id(), carol.id(), alice.id(), bob.id())));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode chat = created.body().path("chat");
        assertThat(chat.path("type").asString()).isEqualTo("group");
        assertThat(chat.path("name").asString()).isEqualTo("Team");
        assertThat(chat.path("slug").asString()).isEqualTo(slug);
        assertThat(chat.path("description").asString()).isEqualTo("Where we talk");
        assertThat(chat.path("ownerId").asString()).isEqualTo(alice.id().toString());
        assertThat(chat.path("myRole").asString()).isEqualTo("owner");
        assertThat(chat.path("participantCount").asInt()).isEqualTo(3);
        JsonNode owner = chat.path("participants").get(0);
        assertThat(owner.path("user").path("username").asString()).isEqualTo(alice.username());
        assertThat(owner.path("role").asString()).isEqualTo("owner");
        assertThat(chat.path("participants").get(1).path("role").asString()).isEqualTo("member");
        assertThat(chat.path("participants").get(1).has("lastReadMessageId")).isTrue();
        assertThat(chat.path("participants").get(1).has("lastDeliveredMessageId")).isTrue();

        Api.Response bySlug = api.get("/api/chats/slug/" + slug, bob.token());
        assertThat(bySlug.status()).isEqualTo(200);
        assertThat(id(bySlug.body().path("chat"))).isEqualTo(id(chat));
        assertThat(bySlug.body().path("chat").path("myRole").asString()).isEqualTo("member");
        assertThat(api.get("/api/chats/" + id(chat), carol.token()).body().path("chat").path("participants")).hasSize(3);
        assertThat(eventsSeenBy(carol.id(), id(chat), "chat:created")).hasSize(1);

        Api.Response taken = api.post("/api/chats/group", bob.token(), Map.of("name", "Other", "slug", slug));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.errorCode()).isEqualTo("CONFLICT");
    }

    @Test
    void groupRequestsAreValidatedWithEveryBadField() {
        Users.TestUser alice = world.user("alice");
        Map<String, Object> body = new HashMap<>();
        body.put("name", " ");
        body.put("slug", "Not a slug!");
        body.put("description", "d".repeat(501));
        body.put("participantIds", List.of(UUID.randomUUID()));
        Api.Response response = api.post("/api/chats/group", alice.token(), body);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().path("error").path("details").findValuesAsString("field"))
                .containsExactlyInAnyOrder("name", "slug", "description", "participantIds");

        assertThat(api.post("/api/chats/group", alice.token(), Map.of("name", "n".repeat(101))).status()).isEqualTo(400);
        assertThat(api.post("/api/chats/group", alice.token(), Map.of("name", "ok", "participantIds", "nope")).status())
                .isEqualTo(400);
        assertThat(api.post("/api/chats/group", alice.token(), Map.of("name", "Solo")).status()).isEqualTo(201);
    }

    @Test
    void aGroupHoldsAtMost300MembersIncludingItsOwner() {
        Users.TestUser alice = world.user("alice");
        List<UUID> others = chats.bulkUsers(300);

        Api.Response tooMany = api.post("/api/chats/group", alice.token(), Map.of("name", "Big", "participantIds", others));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.body().path("error").path("details").get(0).path("field").asString()).isEqualTo("participantIds");

        JsonNode full = world.group("Full", alice, others.subList(0, 299)).json();
        assertThat(full.path("participantCount").asInt()).isEqualTo(300);
        Api.Response oneMore = api.post("/api/chats/" + id(full) + "/participants", alice.token(), Map.of("userId", others.get(299)));
        assertThat(oneMore.status()).isEqualTo(400);
        assertThat(oneMore.errorCode()).isEqualTo("VALIDATION_ERROR");

        JsonNode almost = world.group("Almost", alice, others.subList(0, 290)).json();
        Api.Response overflow = api.post("/api/chats/" + id(almost) + "/participants", alice.token(),
                Map.of("userIds", others.subList(280, 300)));
        assertThat(overflow.status()).as("10 already in, 10 new would make 301").isEqualTo(400);
        Api.Response fits = api.post("/api/chats/" + id(almost) + "/participants", alice.token(),
                Map.of("userIds", others.subList(285, 299)));
        assertThat(fits.status()).as(fits.text()).isEqualTo(201);
        assertThat(fits.body().path("chat").path("participantCount").asInt()).isEqualTo(300);
    }

    @Test
    void ownerAndAdminsChangeSettingsMembersCannot() {
        Users.TestUser owner = world.user("owner");
        Users.TestUser admin = world.user("admin");
        Users.TestUser member = world.user("member");
        String chat = world.group("Team", owner, admin, member).id();
        assertThat(api.put("/api/chats/" + chat + "/participants/" + admin.id(), owner.token(), Map.of("role", "admin")).status())
                .isEqualTo(200);

        Api.Response renamed = api.put("/api/chats/" + chat, owner.token(), Map.of("name", "R&D <team>", "description", "x"));
        assertThat(renamed.status()).as(renamed.text()).isEqualTo(200);
        assertThat(renamed.body().path("chat").path("name").asString()).isEqualTo("R&amp;D &lt;team&gt;");

        String slug = "s-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response bySlugAdmin = api.put("/api/chats/" + chat, admin.token(), Map.of("slug", slug));
        assertThat(bySlugAdmin.status()).isEqualTo(200);
        assertThat(bySlugAdmin.body().path("chat").path("slug").asString()).isEqualTo(slug);
        assertThat(bySlugAdmin.body().path("chat").path("name").asString()).as("absent fields stay").isEqualTo("R&amp;D &lt;team&gt;");

        Api.Response byMember = api.put("/api/chats/" + chat, member.token(), Map.of("name", "Mine"));
        assertThat(byMember.status()).isEqualTo(403);
        assertThat(byMember.errorCode()).isEqualTo("FORBIDDEN");

        assertThat(api.put("/api/chats/" + chat, owner.token(), Map.of()).status()).isEqualTo(400);
        assertThat(api.put("/api/chats/" + chat, owner.token(), Map.of("name", 5)).status()).isEqualTo(400);
        String otherSlug = "o-" + UUID.randomUUID().toString().substring(0, 8);
        api.post("/api/chats/group", member.token(), Map.of("name", "Other", "slug", otherSlug));
        assertThat(api.put("/api/chats/" + chat, owner.token(), Map.of("slug", otherSlug)).status()).isEqualTo(409);

        Map<String, Object> clear = new HashMap<>();
        clear.put("slug", null);
        Api.Response cleared = api.put("/api/chats/" + chat, owner.token(), clear);
        assertThat(cleared.body().path("chat").path("slug").isNull()).isTrue();
        assertThat(api.get("/api/chats/slug/" + slug, owner.token()).status()).isEqualTo(404);

        List<Seen> updates = eventsSeenBy(member.id(), chat, "chat:updated");
        assertThat(updates).extracting(event -> event.data().path("updates").has("name")).contains(true);
        Seen rename = updates.stream().filter(event -> event.data().path("updates").has("name")).findFirst().orElseThrow();
        assertThat(rename.data().path("chatId").asString()).isEqualTo(chat);
        assertThat(rename.data().path("updates").path("name").asString()).isEqualTo("R&amp;D &lt;team&gt;");
    }

    @Test
    void onlyTheOwnerDeletesAGroupAndMembersAreTold() {
        Users.TestUser owner = world.user("owner");
        Users.TestUser admin = world.user("admin");
        Users.TestUser member = world.user("member");
        String slug = "del-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response created = api.post("/api/chats/group", owner.token(),
                Map.of("name", "Doomed", "slug", slug, "participantIds", List.of(admin.id(), member.id())));
        String chat = id(created.body().path("chat"));
        api.put("/api/chats/" + chat + "/participants/" + admin.id(), owner.token(), Map.of("role", "admin"));
        String message = world.chat(chat).send(member, "last words").id();

        assertThat(api.delete("/api/chats/" + chat, admin.token()).status()).isEqualTo(403);
        assertThat(api.delete("/api/chats/" + chat, member.token()).status()).isEqualTo(403);
        assertThat(api.delete("/api/chats/" + chat, owner.token()).status()).isEqualTo(204);

        assertThat(eventsSeenBy(member.id(), chat, "chat:deleted")).hasSize(1)
                .first().satisfies(event -> assertThat(event.data().path("chatId").asString()).isEqualTo(chat));
        for (Users.TestUser user : List.of(owner, admin, member)) {
            assertThat(api.get("/api/chats/" + chat, user.token()).status()).isEqualTo(404);
            assertThat(api.get("/api/chats/" + chat + "/messages", user.token()).status()).isEqualTo(404);
            assertThat(api.get("/api/messages/" + message, user.token()).status()).isEqualTo(404);
            assertThat(api.get("/api/chats", user.token()).body().path("data").findValuesAsString("id")).doesNotContain(chat);
        }
        assertThat(api.delete("/api/chats/" + chat, owner.token()).status()).isEqualTo(404);
        assertThat(api.post("/api/chats/group", owner.token(), Map.of("name", "Reborn", "slug", slug)).status())
                .as("a deleted group's slug is free again").isEqualTo(201);
    }

    @Test
    void ownerAndAdminsAddMembersWhoSeeTheChatFromTheirJoinOn() {
        Users.TestUser owner = world.user("owner");
        Users.TestUser admin = world.user("admin");
        Users.TestUser member = world.user("member");
        Users.TestUser newcomer = world.user("newcomer");
        Users.TestUser another = world.user("another");
        String chat = world.group("Team", owner, admin, member).id();
        api.put("/api/chats/" + chat + "/participants/" + admin.id(), owner.token(), Map.of("role", "admin"));
        world.chat(chat).send(owner, "before the newcomer");

        Api.Response byMember = api.post("/api/chats/" + chat + "/participants", member.token(), Map.of("userId", newcomer.id()));
        assertThat(byMember.status()).isEqualTo(403);

        Api.Response added = api.post("/api/chats/" + chat + "/participants", admin.token(), Map.of("userIds", List.of(newcomer.id())));
        assertThat(added.status()).as(added.text()).isEqualTo(201);
        assertThat(added.body().path("chat").path("participants").findValuesAsString("userId")).contains(newcomer.id().toString());
        Api.Response again = api.post("/api/chats/" + chat + "/participants", owner.token(), Map.of("userId", newcomer.id()));
        assertThat(again.status()).as("already a member: nothing changes").isEqualTo(200);
        assertThat(api.post("/api/chats/" + chat + "/participants", owner.token(), Map.of("userIds", List.of())).status()).isEqualTo(400);
        assertThat(api.post("/api/chats/" + chat + "/participants", owner.token(), Map.of("userId", UUID.randomUUID())).status())
                .isEqualTo(400);

        world.chat(chat).send(owner, "after the newcomer");

        List<Seen> seen = eventsSeenBy(newcomer.id(), chat);
        // Their join, the timeline's "added" line (a system message), then the later message.
        assertThat(seen).extracting(Seen::type).containsExactly("participant:joined", "message:new", "message:new");
        assertThat(seen.get(1).data().path("system").path("action").asString()).isEqualTo("member_added");
        JsonNode joined = seen.getFirst().data();
        assertThat(joined.path("chatId").asString()).isEqualTo(chat);
        assertThat(joined.path("user").path("id").asString()).isEqualTo(newcomer.id().toString());
        assertThat(joined.path("user").path("username").asString()).isEqualTo(newcomer.username());
        assertThat(joined.path("role").asString()).isEqualTo("member");
        assertThat(eventsSeenBy(member.id(), chat, "participant:joined")).hasSize(1);

        // The newcomer reads the chat's history but none of it is unread for them.
        JsonNode view = api.get("/api/chats/" + chat, newcomer.token()).body().path("chat");
        assertThat(view.path("unreadCount").asLong()).isEqualTo(1);
        // Two messages and the system line of their arrival (not unread: system messages never are).
        assertThat(api.get("/api/chats/" + chat + "/messages", newcomer.token()).body().path("data")).hasSize(3);

        // 'another' was never added: no access at all.
        assertThat(api.get("/api/chats/" + chat, another.token()).status()).isEqualTo(404);
    }

    @Test
    void removalRulesProtectTheOwnerAndAdmins() {
        Users.TestUser owner = world.user("owner");
        Users.TestUser admin = world.user("admin");
        Users.TestUser admin2 = world.user("admin2");
        Users.TestUser member = world.user("member");
        Users.TestUser member2 = world.user("member2");
        String chat = world.group("Team", owner, admin, admin2, member, member2).id();
        for (Users.TestUser a : List.of(admin, admin2)) {
            api.put("/api/chats/" + chat + "/participants/" + a.id(), owner.token(), Map.of("role", "admin"));
        }
        String path = "/api/chats/" + chat + "/participants/";

        assertThat(api.delete(path + member2.id(), member.token()).status()).as("members remove nobody").isEqualTo(403);
        assertThat(api.delete(path + owner.id(), admin.token()).status()).as("nobody removes the owner").isEqualTo(403);
        assertThat(api.delete(path + admin2.id(), admin.token()).status()).as("admins do not remove admins").isEqualTo(403);
        assertThat(api.delete(path + UUID.randomUUID(), admin.token()).status()).isEqualTo(404);

        assertThat(api.delete(path + member.id(), admin.token()).status()).isEqualTo(204);
        assertThat(api.delete(path + admin2.id(), owner.token()).status()).as("the owner removes admins").isEqualTo(204);

        // The removed member is told, and from then on sees nothing of the chat.
        List<Seen> seenByRemoved = eventsSeenBy(member.id(), chat);
        assertThat(seenByRemoved.getLast().type()).isEqualTo("participant:left");
        assertThat(seenByRemoved.getLast().data().path("userId").asString()).isEqualTo(member.id().toString());
        assertThat(seenByRemoved.getLast().data().path("chatId").asString()).isEqualTo(chat);
        world.chat(chat).send(owner, "after removal");
        assertThat(eventsSeenBy(member.id(), chat)).hasSameSizeAs(seenByRemoved);
        assertThat(api.get("/api/chats/" + chat, member.token()).status()).isEqualTo(404);
        assertThat(api.get("/api/chats/" + chat + "/messages", member.token()).status()).isEqualTo(404);
        assertThat(api.post("/api/chats/" + chat + "/messages", member.token(), Map.of("content", "let me in")).status())
                .isEqualTo(404);

        assertThat(eventsSeenBy(member2.id(), chat, "participant:left")).hasSize(2);
        JsonNode remaining = api.get("/api/chats/" + chat, owner.token()).body().path("chat");
        assertThat(remaining.path("participants").findValuesAsString("userId"))
                .containsExactlyInAnyOrder(owner.id().toString(), admin.id().toString(), member2.id().toString());

        // Removing yourself is leaving; a removed member can be added back.
        assertThat(api.delete(path + member2.id(), member2.token()).status()).isEqualTo(204);
        assertThat(api.post("/api/chats/" + chat + "/participants", admin.token(), Map.of("userId", member.id())).status())
                .isEqualTo(201);
        assertThat(api.get("/api/chats/" + chat, member.token()).status()).isEqualTo(200);
    }

    @Test
    void leavingOwnerHandsTheGroupToTheLongestStandingAdminElseMemberAndTheLastOneOutDeletesIt() {
        Users.TestUser owner = world.user("owner");
        Users.TestUser early = world.user("early");
        Users.TestUser adminLate = world.user("adminlate");
        Users.TestUser adminLater = world.user("adminlater");
        String chat = world.group("Team", owner, early).id();
        api.post("/api/chats/" + chat + "/participants", owner.token(), Map.of("userId", adminLate.id()));
        api.post("/api/chats/" + chat + "/participants", owner.token(), Map.of("userId", adminLater.id()));
        api.put("/api/chats/" + chat + "/participants/" + adminLater.id(), owner.token(), Map.of("role", "admin"));
        api.put("/api/chats/" + chat + "/participants/" + adminLate.id(), owner.token(), Map.of("role", "admin"));

        assertThat(api.post("/api/chats/" + chat + "/leave", owner.token(), null).status()).isEqualTo(204);
        JsonNode afterOwner = api.get("/api/chats/" + chat, early.token()).body().path("chat");
        assertThat(afterOwner.path("ownerId").asString()).as("longest-standing admin").isEqualTo(adminLate.id().toString());
        assertThat(afterOwner.path("participantCount").asInt()).isEqualTo(3);
        Seen handover = eventsSeenBy(early.id(), chat, "chat:updated").getLast();
        assertThat(handover.data().path("updates").path("ownerId").asString()).isEqualTo(adminLate.id().toString());
        assertThat(eventsSeenBy(owner.id(), chat).getLast().type()).isEqualTo("participant:left");

        assertThat(api.post("/api/chats/" + chat + "/leave", adminLate.token(), null).status()).isEqualTo(204);
        assertThat(api.get("/api/chats/" + chat, early.token()).body().path("chat").path("ownerId").asString())
                .isEqualTo(adminLater.id().toString());
        assertThat(api.post("/api/chats/" + chat + "/leave", adminLater.token(), null).status()).isEqualTo(204);
        JsonNode lastOne = api.get("/api/chats/" + chat, early.token()).body().path("chat");
        assertThat(lastOne.path("ownerId").asString()).as("no admin left: longest-standing member").isEqualTo(early.id().toString());
        assertThat(lastOne.path("myRole").asString()).isEqualTo("owner");

        assertThat(api.post("/api/chats/" + chat + "/leave", early.token(), null).status()).isEqualTo(204);
        Integer deleted = jdbc.sql("SELECT count(*) FROM chats WHERE id = :id AND is_deleted")
                .param("id", UUID.fromString(chat)).query(Integer.class).single();
        assertThat(deleted).isEqualTo(1);
        assertThat(api.post("/api/chats/" + chat + "/leave", early.token(), null).status()).isEqualTo(404);
    }

    @Test
    void onlyTheOwnerChangesRolesAndCanHandOverOwnership() {
        Users.TestUser owner = world.user("owner");
        Users.TestUser admin = world.user("admin");
        Users.TestUser member = world.user("member");
        Users.TestUser outsider = world.user("outsider");
        String chat = world.group("Team", owner, admin, member).id();
        String path = "/api/chats/" + chat + "/participants/";

        Api.Response promoted = api.put(path + admin.id(), owner.token(), Map.of("role", "admin"));
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.body().path("chat").path("participants").get(1).path("role").asString()).isEqualTo("admin");
        assertThat(api.put(path + member.id(), admin.token(), Map.of("role", "admin")).status()).isEqualTo(403);
        assertThat(api.put(path + member.id(), owner.token(), Map.of("role", "boss")).status()).isEqualTo(400);
        assertThat(api.put(path + owner.id(), owner.token(), Map.of("role", "member")).status()).isEqualTo(400);
        assertThat(api.put(path + outsider.id(), owner.token(), Map.of("role", "admin")).status()).isEqualTo(404);
        assertThat(api.put(path + member.id(), outsider.token(), Map.of("role", "admin")).status()).isEqualTo(404);

        Api.Response handedOver = api.put(path + member.id(), owner.token(), Map.of("role", "owner"));
        assertThat(handedOver.status()).isEqualTo(200);
        JsonNode chatView = handedOver.body().path("chat");
        assertThat(chatView.path("ownerId").asString()).isEqualTo(member.id().toString());
        assertThat(chatView.path("myRole").asString()).isEqualTo("admin");
        Seen event = eventsSeenBy(admin.id(), chat, "chat:updated").getLast();
        assertThat(event.data().path("updates").path("ownerId").asString()).isEqualTo(member.id().toString());
        assertThat(event.data().path("updates").path("roles").findValuesAsString("role")).containsExactly("owner", "admin");

        assertThat(api.delete("/api/chats/" + chat, owner.token()).status()).as("no longer the owner").isEqualTo(403);
        assertThat(api.put(path + admin.id(), member.token(), Map.of("role", "member")).status()).isEqualTo(200);
    }

    @Test
    void chatListIsNewestActivityFirstWithLastMessageAndUnreadCountAndPages() {
        Users.TestUser me = world.user("me");
        Users.TestUser friend = world.user("friend");
        String quiet = world.group("Quiet", friend, me).id();
        String direct = world.direct(friend, me).id();
        String busy = world.group("Busy", friend, me).id();
        world.chat(busy).send(friend, "one");
        world.chat(busy).send(me, "mine");
        world.chat(busy).send(friend, "two");
        world.chat(direct).send(friend, "psst");
        String newest = world.group("Newest", me).id();

        Api.Response list = api.get("/api/chats", me.token());
        assertThat(list.status()).isEqualTo(200);
        List<String> order = ids(list.body().path("data"));
        assertThat(order).containsSubsequence(newest, direct, busy, quiet);
        assertThat(list.body().path("hasMore").asBoolean()).isFalse();
        assertThat(list.body().path("nextCursor").isNull()).isTrue();

        JsonNode busyItem = item(list.body(), busy);
        assertThat(busyItem.path("unreadCount").asLong()).as("my own message is not unread").isEqualTo(2);
        assertThat(busyItem.path("lastMessage").path("content").asString()).isEqualTo("two");
        assertThat(busyItem.path("lastMessage").path("senderUsername").asString()).isEqualTo(friend.username());
        assertThat(busyItem.path("participants").isNull()).as("groups list no members").isTrue();
        JsonNode directItem = item(list.body(), direct);
        assertThat(directItem.path("participants")).hasSize(2);
        assertThat(directItem.path("unreadCount").asLong()).isEqualTo(1);
        assertThat(item(list.body(), quiet).path("lastMessage").isNull()).isTrue();

        // Paging one at a time walks the same order without gaps or repeats.
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get("/api/chats?limit=1" + (cursor == null ? "" : "&cursor=" + cursor), me.token());
            assertThat(page.body().path("data")).hasSize(1);
            paged.add(id(page.body().path("data").get(0)));
            cursor = page.body().path("hasMore").asBoolean() ? page.body().path("nextCursor").asString() : null;
        } while (cursor != null);
        assertThat(paged).isEqualTo(order);

        // A new message moves a chat to the top.
        world.chat(quiet).send(friend, "wake up");
        assertThat(api.get("/api/chats", me.token()).body().path("data").get(0).path("id").asString()).isEqualTo(quiet);

        assertThat(api.get("/api/chats?limit=0", me.token()).status()).isEqualTo(400);
        assertThat(api.get("/api/chats?limit=abc", me.token()).status()).isEqualTo(400);
        assertThat(api.get("/api/chats?cursor=xyz", me.token()).status()).isEqualTo(400);
        assertThat(api.get("/api/chats?limit=1000", me.token()).status()).isEqualTo(200);
    }

    @Test
    void nonMembersGetNotFoundFromEveryChatEndpointAndNoData() {
        Users.TestUser owner = world.user("owner");
        Users.TestUser member = world.user("member");
        Users.TestUser outsider = world.user("outsider");
        String slug = "priv-" + UUID.randomUUID().toString().substring(0, 8);
        String chat = id(api.post("/api/chats/group", owner.token(),
                Map.of("name", "Private", "slug", slug, "participantIds", List.of(member.id()))).body().path("chat"));
        String base = "/api/chats/" + chat;

        List<Api.Response> responses = List.of(
                api.get(base, outsider.token()),
                api.get("/api/chats/slug/" + slug, outsider.token()),
                api.put(base, outsider.token(), Map.of("name", "Mine")),
                api.delete(base, outsider.token()),
                api.post(base + "/participants", outsider.token(), Map.of("userId", outsider.id())),
                api.delete(base + "/participants/" + member.id(), outsider.token()),
                api.put(base + "/participants/" + member.id(), outsider.token(), Map.of("role", "admin")),
                api.post(base + "/leave", outsider.token(), null));
        for (Api.Response response : responses) {
            assertThat(response.status()).as(response.text()).isEqualTo(404);
            assertThat(response.errorCode()).isEqualTo("NOT_FOUND");
            assertThat(response.text()).doesNotContain("Private").doesNotContain(member.id().toString());
        }
        assertThat(api.get("/api/chats", outsider.token()).body().path("data").findValuesAsString("id")).doesNotContain(chat);
        assertThat(eventsSeenBy(outsider.id(), chat)).isEmpty();
        assertThat(api.get(base, owner.token()).body().path("chat").path("name").asString()).isEqualTo("Private");
    }

    private static List<String> ids(JsonNode data) {
        List<String> ids = new ArrayList<>();
        data.forEach(item -> ids.add(id(item)));
        return ids;
    }

    private static JsonNode item(JsonNode page, String chatId) {
        for (JsonNode item : page.path("data")) {
            if (id(item).equals(chatId)) {
                return item;
            }
        }
        throw new AssertionError("chat " + chatId + " not in list");
    }
}
