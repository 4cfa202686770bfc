package app.confab.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import app.confab.chat.ChatTestClient;
import app.confab.membership.ChatAccess;
import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users.TestUser;
import app.confab.support.WsClient;
import jakarta.mail.internet.MimeMessage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Notification preferences, Web Push and email digests end to end: the real server, a push
 * service inside the test that decrypts what it receives, and GreenMail as the SMTP server.
 */
class NotificationsTest extends IntegrationTest {

    private static final GreenMail MAIL;

    static {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        MAIL = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        MAIL.start();
    }

    @org.junit.jupiter.api.BeforeEach
    void pointAtTestServices() {
        // One shared server context: the test's push service is on 127.0.0.1, its SMTP server is GreenMail.
        sender.testSettings(true, Duration.ofMillis(50));
        digests.useSmtp("smtp://127.0.0.1:" + MAIL.getSmtp().getPort());
    }

    @org.junit.jupiter.api.AfterEach
    void restoreServices() {
        sender.testSettings(false, Duration.ofSeconds(2));
        digests.useSmtp(null);
    }

    @AfterAll
    static void stopMail() {
        MAIL.stop();
    }

    @Autowired
    JdbcClient jdbc;
    @Autowired
    VapidKeys vapid;
    @Autowired
    NotificationRepository repository;
    @Autowired
    ChatAccess access;
    @Autowired
    MentionSource mentions;
    @Autowired
    PushSender sender;
    @Autowired
    ObjectMapper json;
    @Autowired
    EmailDigests digests;
    @Autowired
    NotificationProperties properties;
    @Autowired
    PushTail pushTail;

    private ChatTestClient chats() {
        return new ChatTestClient(api, jdbc);
    }

    private String subscribe(TestUser user, PushTestEndpoint endpoint, String device) {
        Api.Response response = api.post("/api/push/subscriptions", user.token(), Map.of("endpoint", endpoint.endpoint(device),
                "keys", Map.of("p256dh", endpoint.p256dh(), "auth", endpoint.authSecret())));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.body().path("id").asString();
    }

    // ---- preferences -----------------------------------------------------------------------------

    @Test
    void preferencesHaveDefaultsChangeAndAreValidated() {
        TestUser carol = users.register("carol");
        JsonNode defaults = api.get("/api/users/me/notifications", carol.token()).body().path("notifications");
        assertThat(defaults.path("defaultLevel").asString()).isEqualTo("all");
        assertThat(defaults.path("emailDelayMinutes").asInt()).isEqualTo(15);
        assertThat(defaults.path("emailForGroups").asBoolean()).isFalse();
        assertThat(defaults.path("pushPreview").asBoolean()).isTrue();
        assertThat(defaults.path("channels").path("push").asBoolean()).isTrue();

        Map<String, Object> update = new LinkedHashMap<>();
        update.put("defaultLevel", "mentions");
        update.put("channels", Map.of("desktop", false));
        update.put("emailDelayMinutes", 5);
        update.put("quietHours", Map.of("start", "22:00", "end", "07:00", "timeZone", "Europe/Berlin"));
        JsonNode changed = api.put("/api/users/me/notifications", carol.token(), update).body().path("notifications");
        assertThat(changed.path("defaultLevel").asString()).isEqualTo("mentions");
        assertThat(changed.path("channels").path("desktop").asBoolean()).isFalse();
        assertThat(changed.path("channels").path("push").asBoolean()).isTrue();
        assertThat(changed.path("quietHours").path("timeZone").asString()).isEqualTo("Europe/Berlin");

        Api.Response bad = api.put("/api/users/me/notifications", carol.token(), Map.of("defaultLevel", "loud",
                "emailDelayMinutes", 0, "quietHours", Map.of("start", "25:00", "end", "07:00", "timeZone", "Mars/Base")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("error").path("code").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(bad.text()).contains("defaultLevel", "emailDelayMinutes", "quietHours.start", "quietHours.timeZone");
        assertThat(api.put("/api/users/me/notifications", carol.token(), "[1]").status()).isEqualTo(400);
        assertThat(api.get("/api/users/me/notifications", null).status()).isEqualTo(401);
    }

    @Test
    void muteIsStoredOnTheServerShownInTheChatListAndReachesOtherDevices() {
        TestUser carol = users.register("carol");
        TestUser dave = users.register("dave");
        String chatId = chats().group(carol, "Mutable", dave).path("id").asString();
        try (WsClient otherDevice = WsClient.connectReady(api.baseUrl(), carol.token(), null)) {
            Api.Response muted = api.put("/api/chats/" + chatId + "/notifications", carol.token(), Map.of("level", "nothing"));
            assertThat(muted.status()).as(muted.text()).isEqualTo(200);
            assertThat(muted.body().path("muted").asBoolean()).isTrue();
            JsonNode event = otherDevice.awaitType("notifications:updated");
            assertThat(event.path("data").path("chatId").asString()).isEqualTo(chatId);
            assertThat(event.path("data").path("level").asString()).isEqualTo("nothing");
        }
        JsonNode chat = api.get("/api/chats/" + chatId, carol.token()).body().path("chat");
        assertThat(chat.path("muted").asBoolean()).isTrue();
        assertThat(chat.path("notificationLevel").asString()).isEqualTo("nothing");
        JsonNode listed = api.get("/api/chats", carol.token()).body().path("data").get(0);
        assertThat(listed.path("id").asString()).isEqualTo(chatId);
        assertThat(listed.path("muted").asBoolean()).isTrue();
        // Dave's view of the same chat is his own.
        assertThat(api.get("/api/chats/" + chatId, dave.token()).body().path("chat").path("muted").asBoolean()).isFalse();
        assertThat(api.get("/api/users/me/notifications", carol.token()).body()
                .path("notifications").path("chats").path(chatId).asString()).isEqualTo("nothing");

        assertThat(api.put("/api/chats/" + chatId + "/notifications", carol.token(), Map.of("level", "default"))
                .body().path("level").asString()).isEqualTo("all");
        assertThat(api.put("/api/chats/" + chatId + "/notifications", carol.token(), Map.of("level", "loud")).status())
                .isEqualTo(400);
        // A stranger gets the same 404 for a real chat as for a made-up one.
        TestUser stranger = users.register("eve");
        Api.Response real = api.put("/api/chats/" + chatId + "/notifications", stranger.token(), Map.of("level", "nothing"));
        Api.Response madeUp = api.put("/api/chats/" + UUID.randomUUID() + "/notifications", stranger.token(), Map.of("level", "nothing"));
        assertThat(real.status()).isEqualTo(404);
        assertThat(madeUp.status()).isEqualTo(404);
        assertThat(real.body().path("error").path("message").asString())
                .isEqualTo(madeUp.body().path("error").path("message").asString());
    }

    // ---- Web Push --------------------------------------------------------------------------------

    @Test
    void anOfflineRecipientGetsAnEncryptedVapidSignedPushOnce() throws Exception {
        TestUser alice = users.register("alice");
        TestUser bob = users.register("bob");
        String vapidKey = api.get("/api/push/vapid-public-key", bob.token()).body().path("publicKey").asString();
        assertThat(vapidKey).isEqualTo(vapid.publicKey());
        try (PushTestEndpoint push = new PushTestEndpoint()) {
            subscribe(bob, push, "bob-laptop");
            String chatId = chats().direct(alice, bob).path("id").asString();
            JsonNode message = chats().send(alice, chatId, "Lunch at noon?\u202E evil");

            await().atMost(Duration.ofSeconds(15)).until(() -> push.received.size() == 1);
            PushTestEndpoint.Received request = push.received.getFirst();
            assertThat(request.header("Content-Encoding")).isEqualTo("aes128gcm");
            assertThat(request.header("TTL")).isNotNull();
            assertThat(request.header("Topic")).isEqualTo(chatId.replace("-", ""));
            String claims = PushTestEndpoint.verifyVapid(request.header("Authorization"), vapidKey);
            JsonNode jwt = json.readTree(claims);
            assertThat(jwt.path("aud").asString()).isEqualTo(push.endpoint("x").replaceAll("/push/x$", ""));
            assertThat(jwt.path("exp").asLong()).isGreaterThan(System.currentTimeMillis() / 1000);
            assertThat(jwt.path("sub").asString()).startsWith("mailto:");

            JsonNode payload = json.readTree(push.decrypt(request.body()));
            assertThat(payload.path("chatId").asString()).isEqualTo(chatId);
            assertThat(payload.path("messageId").asString()).isEqualTo(message.path("id").asString());
            assertThat(payload.path("sender").asString()).isNotBlank();
            assertThat(payload.path("body").asString()).isEqualTo("Lunch at noon? evil");
            assertThat(payload.path("url").asString()).isEqualTo("/chats/" + chatId + "/messages/" + message.path("id").asString());

            // A second node tailing the same messages claims nothing: at most once per message and device.
            PushSender secondNodeSender = new PushSender(vapid, repository,
                    new NotificationProperties(null, null, null, null, null, null, null, null, true, null, 0));
            PushTail secondNode = new PushTail(repository, access, mentions, secondNodeSender, json, clock);
            secondNode.scanFrom(message.path("position").asLong(0) > 0 ? message.path("position").asLong() - 1 : 0);
            assertThat(secondNodeSender.queued()).isZero();
            assertThat(jdbc.sql("SELECT count(*) FROM push_deliveries WHERE message_id = :id")
                    .param("id", UUID.fromString(message.path("id").asString())).query(Long.class).single()).isEqualTo(1);
            secondNodeSender.stop();
        }
    }

    /**
     * The tail reads a page's members and their state once for the page: each message of a page
     * still goes to its own chat's members only, and a message deleted before the tail reached it
     * goes to no one.
     */
    @Test
    void aPageOfMessagesInSeveralChatsReachesEachChatsOwnRecipientsAndSkipsDeletedOnes() throws Exception {
        TestUser alice = users.register("alice");
        TestUser bob = users.register("bob");
        TestUser carol = users.register("carol");
        String direct = chats().direct(alice, bob).path("id").asString();
        String group = chats().group(alice, "Page", bob, carol).path("id").asString();
        JsonNode first = chats().send(alice, direct, "for bob");
        chats().send(alice, group, "@" + carol.username() + " for carol");
        chats().send(alice, group, "nobody mentioned");
        JsonNode gone = chats().send(alice, direct, "deleted before the push");
        assertThat(api.delete("/api/messages/" + gone.path("id").asString(), alice.token()).status()).isEqualTo(204);
        // The node's own tail passes these while nobody has a subscription: it pushes nothing.
        awaitTailPast(gone);
        try (PushTestEndpoint push = new PushTestEndpoint()) {
            subscribe(bob, push, "bob-phone");
            subscribe(carol, push, "carol-phone");
            PushSender replaySender = new PushSender(vapid, repository,
                    new NotificationProperties(null, null, null, null, null, null, null, null, true, null, 0));
            replaySender.testSettings(true, Duration.ofMillis(50));
            PushTail replay = new PushTail(repository, access, mentions, replaySender, json, clock);
            replay.scanFrom(first.path("position").asLong() - 1);
            assertThat(replaySender.queued()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(15)).until(() -> push.received.size() == 2);
            List<String> bodies = new ArrayList<>();
            for (PushTestEndpoint.Received received : push.received) {
                bodies.add(json.readTree(push.decrypt(received.body())).path("body").asString());
            }
            assertThat(bodies).hasSize(2).contains("for bob")
                    .anySatisfy(body -> assertThat(body).endsWith(": @" + carol.username() + " for carol"));
            replaySender.stop();
        }
    }

    @Test
    void pushesCollapseHonourMutePreviewAndMentionsOnlyInGroups() throws Exception {
        TestUser alice = users.register("alice");
        TestUser bob = users.register("bob");
        try (PushTestEndpoint push = new PushTestEndpoint()) {
            subscribe(bob, push, "bob-phone");
            String group = chats().group(alice, "Team", bob).path("id").asString();
            String direct = chats().direct(alice, bob).path("id").asString();
            chats().send(alice, group, "general chatter, nobody named");
            chats().send(alice, group, "@" + bob.username() + " can you review?");
            await().atMost(Duration.ofSeconds(15)).until(() -> push.received.size() == 1);
            JsonNode mention = json.readTree(push.decrypt(push.received.getFirst().body()));
            assertThat(mention.path("mention").asBoolean()).isTrue();
            assertThat(mention.path("title").asString()).isEqualTo("Team");
            assertThat(mention.path("tag").asString()).isEqualTo("chat-" + group);

            // Muted: nothing. Messages are pushed in position order, so once a later mention is here the
            // muted message would have been too.
            api.put("/api/chats/" + direct + "/notifications", bob.token(), Map.of("level", "nothing"));
            chats().send(alice, direct, "muted secret");
            chats().send(alice, group, "@" + bob.username() + " again");
            await().atMost(Duration.ofSeconds(15)).until(() -> push.received.size() >= 2);
            assertThat(json.readTree(push.decrypt(push.received.get(1).body())).path("body").asString()).endsWith("again");

            // No preview: who, not what.
            api.put("/api/chats/" + direct + "/notifications", bob.token(), Map.of("level", "default"));
            api.put("/api/users/me/notifications", bob.token(), Map.of("pushPreview", false));
            chats().send(alice, direct, "unmuted secret");
            await().atMost(Duration.ofSeconds(15)).until(() -> push.received.size() >= 3);
            assertThat(push.received).hasSize(3);
            JsonNode noPreview = json.readTree(push.decrypt(push.received.get(2).body()));
            assertThat(noPreview.path("body").asString()).isEqualTo("New message");
            assertThat(noPreview.toString()).doesNotContain("secret");
        }
    }

    @Test
    void a5xxIsRetriedWithBackoffAndA410RemovesTheSubscription() throws Exception {
        TestUser alice = users.register("alice");
        TestUser bob = users.register("bob");
        try (PushTestEndpoint push = new PushTestEndpoint()) {
            push.script.addAll(List.of(500, 503));
            subscribe(bob, push, "flaky");
            String chatId = chats().direct(alice, bob).path("id").asString();
            chats().send(alice, chatId, "try again");
            await().atMost(Duration.ofSeconds(15)).until(() -> push.received.size() == 3);
            assertThat(json.readTree(push.decrypt(push.received.get(2).body())).path("body").asString()).isEqualTo("try again");
        }
        try (PushTestEndpoint gone = new PushTestEndpoint()) {
            gone.script.add(410);
            String id = subscribe(bob, gone, "uninstalled");
            String chatId = chats().direct(alice, bob).path("id").asString();
            chats().send(alice, chatId, "anyone there?");
            await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.sql("SELECT count(*) FROM push_subscriptions WHERE id = :id")
                    .param("id", UUID.fromString(id)).query(Long.class).single() == 0);
            assertThat(gone.received).hasSize(1);
        }
    }

    @Test
    void subscriptionsAreValidatedAndRemovable() throws Exception {
        TestUser bob = users.register("bob");
        Api.Response bad = api.post("/api/push/subscriptions", bob.token(), Map.of("endpoint", "ftp://x",
                "keys", Map.of("p256dh", "nope", "auth", "nope")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("error").path("code").asString()).isEqualTo("VALIDATION_ERROR");
        try (PushTestEndpoint push = new PushTestEndpoint()) {
            assertThat(api.post("/api/push/subscriptions", bob.token(), Map.of("endpoint", push.endpoint("k"),
                    "keys", Map.of("p256dh", push.authSecret(), "auth", push.authSecret()))).status()).isEqualTo(400);
            subscribe(bob, push, "removable");
            assertThat(api.send("DELETE", "/api/push/subscriptions", bob.token(), Map.of("endpoint", push.endpoint("removable")), null)
                    .status()).isEqualTo(204);
            assertThat(repository.subscriptions(bob.id())).isEmpty();
        }
        // Without the test switch, private and plain-http endpoints are refused (the server would POST to them).
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() ->
                PushSender.checkEndpoint("https://127.0.0.1/push", false))).isNotNull();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() ->
                PushSender.checkEndpoint("http://push.example.com/x", false))).isNotNull();
    }

    // ---- email -----------------------------------------------------------------------------------

    @Test
    void anUnreadDirectMessageBecomesOneDigestAfterTheDelayAndUnsubscribeWorks() throws Exception {
        TestUser alice = users.register("alice");
        TestUser bob = users.register("bob");
        String address = bob.username().toLowerCase() + "@example.test";
        api.put("/api/users/me/notifications", bob.token(), Map.of("emailAddress", address, "emailDelayMinutes", 1));
        String chatId = chats().direct(alice, bob).path("id").asString();
        chats().send(alice, chatId, "<b>first</b> & foremost");
        chats().send(alice, chatId, "second");
        digests.sendDue();
        assertThat(inbox(address)).isEmpty();

        clock.advance(Duration.ofMinutes(2));
        digests.sendDue();
        assertThat(inbox(address)).hasSize(1);
        MimeMessage mail = inbox(address).getFirst();
        String base = properties.publicUrl();
        assertThat(mail.getSubject()).isEqualTo("2 unread messages in Confab");
        String raw = GreenMailUtil.getWholeMessage(mail);
        assertThat(raw).contains("&lt;b&gt;first&lt;/b&gt; &amp; foremost").doesNotContain("<b>first</b>");
        assertThat(raw).contains(base + "/chats/" + chatId + "/messages/");
        assertThat(raw).contains("List-Unsubscribe");

        // Once per message: another scan sends nothing more.
        digests.sendDue();
        assertThat(inbox(address)).hasSize(1);

        String path = raw.replaceAll("(?s).*?(/api/notifications/unsubscribe\\?token=[A-Za-z0-9_.-]+).*", "$1");
        assertThat(api.get(path, null).status()).isEqualTo(200);
        assertThat(api.get("/api/users/me/notifications", bob.token()).body().path("notifications")
                .path("channels").path("email").asBoolean()).isTrue();
        Api.Response unsubscribed = api.raw("POST", path, null, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click");
        assertThat(unsubscribed.status()).as(unsubscribed.text()).isEqualTo(200);
        assertThat(api.get("/api/users/me/notifications", bob.token()).body().path("notifications")
                .path("channels").path("email").asBoolean()).isFalse();
        // The signature's first character, changed: its last one carries unused bits, so a change
        // there can decode to the same signature (the test failed on such a token once in ~16).
        int signature = path.indexOf('.') + 1;
        String tampered = path.substring(0, signature) + (path.charAt(signature) == 'A' ? 'B' : 'A')
                + path.substring(signature + 1);
        assertThat(api.raw("POST", tampered, null, "application/x-www-form-urlencoded", "").status())
                .isEqualTo(400);

        chats().send(alice, chatId, "after unsubscribing");
        clock.advance(Duration.ofMinutes(2));
        digests.sendDue();
        assertThat(inbox(address)).hasSize(1);
    }

    @Test
    void noDigestForMessagesReadInTimeNorForGroupsByDefault() throws Exception {
        TestUser alice = users.register("alice");
        TestUser bob = users.register("bob");
        String address = bob.username().toLowerCase() + "@example.test";
        api.put("/api/users/me/notifications", bob.token(), Map.of("emailAddress", address, "emailDelayMinutes", 1));
        String chatId = chats().direct(alice, bob).path("id").asString();
        String group = chats().group(alice, "Standup", bob).path("id").asString();
        JsonNode read = chats().send(alice, chatId, "read me in time");
        chats().send(alice, group, "@" + bob.username() + " in a group");
        Api.Response marked = api.post("/api/chats/" + chatId + "/read", bob.token(), Map.of("messageId", read.path("id").asString()));
        assertThat(marked.status()).as(marked.text()).isIn(200, 204);
        clock.advance(Duration.ofMinutes(2));
        digests.sendDue();
        assertThat(inbox(address)).isEmpty();

        api.put("/api/users/me/notifications", bob.token(), Map.of("emailForGroups", true));
        digests.sendDue();
        assertThat(inbox(address)).hasSize(1);
        assertThat(GreenMailUtil.getWholeMessage(inbox(address).getFirst())).contains("Standup");
    }

    // ---- away counts as not looking, quiet hours, a digest retried -------------------------------

    @Test
    void aConnectedMemberWhoIsAwayGetsPushAndEmailAsIfOffline() throws Exception {
        TestUser alice = users.register("alice");
        TestUser bob = users.register("bob");
        String address = bob.username().toLowerCase() + "@example.test";
        api.put("/api/users/me/notifications", bob.token(), Map.of("emailAddress", address, "emailDelayMinutes", 1));
        String chatId = chats().direct(alice, bob).path("id").asString();
        try (PushTestEndpoint push = new PushTestEndpoint();
             WsClient bobsTab = WsClient.connectReady(api.baseUrl(), bob.token(), null)) {
            subscribe(bob, push, "bob-desktop");
            await().atMost(Duration.ofSeconds(15)).until(() -> "online".equals(status(bob)));

            // Bob's tab is open and in use: the app tells him, neither push nor email does.
            JsonNode looking = chats().send(alice, chatId, "while bob looks");
            awaitTailPast(looking);
            backdate(looking, Duration.ofMinutes(2));
            digests.sendDue();
            assertThat(inbox(address)).isEmpty();

            // The tab is still connected, but idle or hidden: the client says "away" (PROTOCOL.md presence).
            JsonNode reply = bobsTab.request("presence:update", Map.of("status", "away"));
            assertThat(reply.path("type").asString()).as(reply.toString()).doesNotContain("error");
            await().atMost(Duration.ofSeconds(15)).until(() -> "away".equals(status(bob)));
            assertThat(bobsTab.isClosed()).isFalse();

            JsonNode idle = chats().send(alice, chatId, "while bob is idle");
            await().atMost(Duration.ofSeconds(15)).until(() -> push.received.size() == 1);
            JsonNode pushed = json.readTree(push.decrypt(push.received.getFirst().body()));
            assertThat(pushed.path("messageId").asString()).isEqualTo(idle.path("id").asString());
            backdate(idle, Duration.ofMinutes(2));
            digests.sendDue();
            assertThat(inbox(address)).hasSize(1);
            assertThat(GreenMailUtil.getWholeMessage(inbox(address).getFirst())).contains("while bob is idle");
            assertThat(push.received).hasSize(1);
        }
    }

    @Test
    void quietHoursInTheUsersTimeZoneHoldBackPushAndEmail() throws Exception {
        TestUser alice = users.register("alice");
        TestUser bob = users.register("bob");
        String address = bob.username().toLowerCase() + "@example.test";
        api.put("/api/users/me/notifications", bob.token(), Map.of("emailAddress", address, "emailDelayMinutes", 1));
        String chatId = chats().direct(alice, bob).path("id").asString();
        // UTC+14: an hour around "now" there is far from "now" in UTC, so the zone decides.
        java.time.ZoneId zone = java.time.ZoneId.of("Pacific/Kiritimati");
        try (PushTestEndpoint push = new PushTestEndpoint()) {
            subscribe(bob, push, "bob-phone");

            // An hour around the UTC time, read in Bob's zone: not his quiet hours now.
            putQuietHours(bob, clock.instant().atZone(java.time.ZoneOffset.UTC).toLocalTime(), zone);
            JsonNode outside = chats().send(alice, chatId, "outside quiet hours");
            await().atMost(Duration.ofSeconds(15)).until(() -> push.received.size() == 1);
            assertThat(json.readTree(push.decrypt(push.received.getFirst().body())).path("messageId").asString())
                    .isEqualTo(outside.path("id").asString());

            // An hour around his local time: quiet. No push, and the digest waits.
            putQuietHours(bob, clock.instant().atZone(zone).toLocalTime(), zone);
            JsonNode inside = chats().send(alice, chatId, "inside quiet hours");
            awaitTailPast(inside);
            backdate(outside, Duration.ofMinutes(2));
            backdate(inside, Duration.ofMinutes(2));
            digests.sendDue();
            assertThat(inbox(address)).isEmpty();

            // Quiet hours over: what was held back is emailed; new messages are pushed again.
            Api.Response off = api.put("/api/users/me/notifications", bob.token(), Map.of("quietHoursOff", true));
            assertThat(off.status()).as(off.text()).isEqualTo(200);
            digests.sendDue();
            assertThat(inbox(address)).hasSize(1);
            assertThat(GreenMailUtil.getWholeMessage(inbox(address).getFirst())).contains("inside quiet hours");
            JsonNode after = chats().send(alice, chatId, "after quiet hours");
            await().atMost(Duration.ofSeconds(15)).until(() -> push.received.size() == 2);
            assertThat(json.readTree(push.decrypt(push.received.get(1).body())).path("messageId").asString())
                    .isEqualTo(after.path("id").asString());
        }
    }

    @Test
    void aDigestTheSmtpServerDidNotTakeIsSentLaterAndOnlyOnce() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // Nothing listens on the port yet: the SMTP server is down.
        digests.useSmtp("smtp://127.0.0.1:" + port);
        TestUser alice = users.register("alice");
        TestUser bob = users.register("bob");
        String address = bob.username().toLowerCase() + "@example.test";
        api.put("/api/users/me/notifications", bob.token(), Map.of("emailAddress", address, "emailDelayMinutes", 1));
        String chatId = chats().direct(alice, bob).path("id").asString();
        chats().send(alice, chatId, "are you there?");
        clock.advance(Duration.ofMinutes(2));
        digests.sendDue();

        GreenMail back = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        back.start();
        try {
            // (Digests of other tests' users may arrive here too: only Bob's count.)
            digests.sendDue();
            assertThat(inbox(back, address)).as("the digest once the SMTP server is back").hasSize(1);
            assertThat(GreenMailUtil.getWholeMessage(inbox(back, address).getFirst())).contains("are you there?");
            digests.sendDue();
            assertThat(inbox(back, address)).as("never twice").hasSize(1);
        } finally {
            back.stop();
        }
    }

    private String status(TestUser user) {
        return jdbc.sql("SELECT status FROM users WHERE id = :id").param("id", user.id()).query(String.class).single();
    }

    /** Waits until the push tail has looked at the message (so a later change cannot affect it). */
    private void awaitTailPast(JsonNode message) {
        long position = message.path("position").asLong();
        assertThat(position).isPositive();
        await().atMost(Duration.ofSeconds(15)).until(() -> pushTail.watermark() >= position);
    }

    /** Makes a message older, so it is due for a digest without moving the clock (which would end sockets and tokens). */
    private void backdate(JsonNode message, Duration by) {
        jdbc.sql("UPDATE messages SET created_at = created_at - make_interval(secs => :secs) WHERE id = :id")
                .param("secs", by.toSeconds())
                .param("id", UUID.fromString(message.path("id").asString()))
                .update();
    }

    private void putQuietHours(TestUser user, java.time.LocalTime around, java.time.ZoneId zone) {
        java.time.format.DateTimeFormatter hhmm = java.time.format.DateTimeFormatter.ofPattern("HH:mm");
        Api.Response response = api.put("/api/users/me/notifications", user.token(), Map.of("quietHours",
                Map.of("start", around.minusMinutes(30).format(hhmm), "end", around.plusMinutes(30).format(hhmm),
                        "timeZone", zone.getId())));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private static List<MimeMessage> inbox(String address) throws Exception {
        return inbox(MAIL, address);
    }

    private static List<MimeMessage> inbox(GreenMail server, String address) throws Exception {
        return java.util.Arrays.stream(server.getReceivedMessages()).filter(m -> {
            try {
                return java.util.Arrays.stream(m.getAllRecipients()).anyMatch(r -> r.toString().equalsIgnoreCase(address));
            } catch (jakarta.mail.MessagingException e) {
                return false;
            }
        }).toList();
    }
}
