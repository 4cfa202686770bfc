package app.confab.admin;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.jdbc.core.simple.JdbcClient;

import app.confab.account.SessionsEnded;
import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The administration API over real HTTP against real PostgreSQL. */
class AdminApiTest extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ConfigurableApplicationContext context;

    private final List<SessionsEnded> ended = new CopyOnWriteArrayList<>();
    private final ApplicationListener<PayloadApplicationEvent<SessionsEnded>> recorder = event -> ended.add(event.getPayload());

    private Users.TestUser admin;

    @BeforeEach
    void makeAdmin() {
        admin = users.register("admin");
        jdbc.sql("UPDATE users SET role = 'admin' WHERE id = :id").param("id", admin.id()).update();
        context.addApplicationListener(recorder);
    }

    @AfterEach
    void restoreSettings() {
        // The database is shared with other test classes: leave registration open.
        jdbc.sql("DELETE FROM app_settings WHERE key = 'admin.settings'").update();
        context.removeApplicationListener(recorder);
    }

    @Test
    void membersGetForbiddenAndMeCarriesTheRole() {
        Users.TestUser member = users.register("member");
        Api.Response forbidden = api.get("/api/admin/users", member.token());
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.body().path("error").path("code").asString()).isEqualTo("FORBIDDEN");
        assertThat(api.put("/api/admin/settings", member.token(), Map.of("registration", "closed")).status()).isEqualTo(403);
        assertThat(api.get("/api/users/me", member.token()).body().path("user").path("role").asString()).isEqualTo("member");
        assertThat(api.get("/api/users/me", admin.token()).body().path("user").path("role").asString()).isEqualTo("admin");
        assertThat(api.get("/api/admin/users", null).status()).isEqualTo(401);
    }

    @Test
    void registrationPolicyClosedAndByInvitation() {
        assertThat(put("/api/admin/settings", Map.of("registration", "closed")).status()).isEqualTo(200);
        assertThat(api.get("/api/auth/config", null).body().path("registration").asString()).isEqualTo("closed");
        assertThat(errorCode(register(Users.uniqueName("closed"), null))).isEqualTo("REGISTRATION_CLOSED");

        String token = api.post("/api/admin/invites", admin.token(), Map.of("expiresInHours", 24, "maxUses", 1))
                .body().path("token").asString();
        assertThat(token).hasSizeGreaterThanOrEqualTo(22); // 256 bits, base64url
        assertThat(errorCode(register(Users.uniqueName("closed"), token))).isEqualTo("REGISTRATION_CLOSED");

        put("/api/admin/settings", Map.of("registration", "invite"));
        assertThat(errorCode(register(Users.uniqueName("inv"), null))).isEqualTo("INVITE_REQUIRED");
        assertThat(errorCode(register(Users.uniqueName("inv"), "madeup"))).isEqualTo("INVITE_INVALID");
        Api.Response invited = register(Users.uniqueName("inv"), token);
        assertThat(invited.status()).as(invited.text()).isEqualTo(201);
        assertThat(errorCode(register(Users.uniqueName("inv"), token))).as("used up").isEqualTo("INVITE_INVALID");

        JsonNode revocable = api.post("/api/admin/invites", admin.token(), Map.of("maxUses", 5)).body();
        assertThat(revocable.path("url").asString()).endsWith("/register?invite=" + revocable.path("token").asString());
        assertThat(api.delete("/api/admin/invites/" + revocable.path("id").asString(), admin.token()).status()).isEqualTo(204);
        assertThat(errorCode(register(Users.uniqueName("inv"), revocable.path("token").asString()))).isEqualTo("INVITE_INVALID");

        JsonNode list = api.get("/api/admin/invites", admin.token()).body().path("data");
        assertThat(list.toString()).contains(revocable.path("id").asString()).contains("revoked")
                .doesNotContain(revocable.path("token").asString());
        assertThat(api.post("/api/admin/invites", admin.token(), Map.of("expiresInHours", 0)).status()).isEqualTo(400);
        assertThat(api.post("/api/admin/invites", admin.token(), Map.of("maxUses", "x")).status()).isEqualTo(400);
    }

    @Test
    void usernamePatternAndSettingsValidation() {
        assertThat(put("/api/admin/settings", Map.of("allowedUsernamePattern", "acme_.*")).status()).isEqualTo(200);
        Api.Response refused = register(Users.uniqueName("other"), null);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(register(Users.uniqueName("acme"), null).status()).isEqualTo(201);
        assertThat(put("/api/admin/settings", Map.of("registration", "sometimes")).status()).isEqualTo(400);
        assertThat(put("/api/admin/settings", Map.of("allowedUsernamePattern", "([")).status()).isEqualTo(400);
        assertThat(put("/api/admin/settings", Map.of("maxUploadMb", 0)).status()).isEqualTo(400);
        assertThat(put("/api/admin/settings", Map.of("unknown", 1)).status()).isEqualTo(400);
        Map<String, Object> clear = new HashMap<>();
        clear.put("messageRetentionDays", null);
        JsonNode settings = put("/api/admin/settings", clear).body();
        assertThat(settings.path("messageRetentionDays").isNull()).isTrue();
        assertThat(settings.path("allowedUsernamePattern").asString()).isEqualTo("acme_.*");
    }

    @Test
    void deactivationEndsSessionsBlocksSignInAndHidesFromSearch() {
        Users.TestUser leaver = users.register("leaver");
        Users.TestUser colleague = users.register("colleague");
        assertThat(api.get("/api/users/search?q=" + leaver.username(), colleague.token()).body().path("data")).hasSize(1);

        Api.Response deactivated = api.post("/api/admin/users/" + leaver.id() + "/deactivate", admin.token(), null);
        assertThat(deactivated.status()).as(deactivated.text()).isEqualTo(200);
        assertThat(deactivated.body().path("user").path("status").asString()).isEqualTo("deactivated");
        assertThat(ended).anySatisfy(event -> {
            assertThat(event.userId()).isEqualTo(leaver.id());
            assertThat(event.reason()).isEqualTo("deactivated");
            assertThat(event.sessionIds()).isNotEmpty();
        });

        assertThat(api.post("/api/auth/refresh", null, Map.of("refreshToken", leaver.refreshToken())).status()).isEqualTo(401);
        assertThat(api.get("/api/users/me", leaver.token()).status()).isEqualTo(401);
        assertThat(login(leaver.username(), Users.PASSWORD).status()).isEqualTo(401);
        assertThat(api.get("/api/users/search?q=" + leaver.username(), colleague.token()).body().path("data")).isEmpty();
        JsonNode listed = api.get("/api/admin/users?status=deactivated&q=" + leaver.username(), admin.token()).body();
        assertThat(listed.path("data")).hasSize(1);
        assertThat(listed.path("data").get(0).path("status").asString()).isEqualTo("deactivated");

        JsonNode audit = api.get("/api/admin/audit?action=user_deactivated&actor=" + admin.username(), admin.token()).body();
        assertThat(audit.path("data")).isNotEmpty();
        JsonNode entry = audit.path("data").get(0);
        assertThat(entry.path("targetId").asString()).isEqualTo(leaver.id().toString());
        assertThat(entry.path("before").path("status").asString()).isEqualTo("active");
        assertThat(entry.path("after").path("status").asString()).isEqualTo("deactivated");

        assertThat(api.post("/api/admin/users/" + leaver.id() + "/reactivate", admin.token(), null).status()).isEqualTo(200);
        assertThat(login(leaver.username(), Users.PASSWORD).status()).isEqualTo(200);
        assertThat(api.post("/api/admin/users/" + UUID.randomUUID() + "/deactivate", admin.token(), null).status()).isEqualTo(404);
        assertThat(api.post("/api/admin/users/not-a-uuid/deactivate", admin.token(), null).status()).isEqualTo(400);
    }

    @Test
    void theLastAdministratorStays() {
        // Other test classes share this database; only this admin stays one for the test.
        List<UUID> others = jdbc.sql("UPDATE users SET role = 'member' WHERE role = 'admin' AND id <> :id RETURNING id")
                .param("id", admin.id()).query(UUID.class).list();
        try {
            Api.Response self = api.post("/api/admin/users/" + admin.id() + "/deactivate", admin.token(), null);
            assertThat(self.status()).isEqualTo(409);
            assertThat(self.body().path("error").path("code").asString()).isEqualTo("CONFLICT");
            assertThat(api.put("/api/admin/users/" + admin.id() + "/role", admin.token(), Map.of("role", "member")).status())
                    .isEqualTo(409);
            Users.TestUser deputy = users.register("deputy");
            assertThat(api.put("/api/admin/users/" + deputy.id() + "/role", admin.token(), Map.of("role", "admin")).status())
                    .isEqualTo(200);
            assertThat(api.get("/api/admin/users", deputy.token()).status()).isEqualTo(200);
            assertThat(api.put("/api/admin/users/" + admin.id() + "/role", deputy.token(), Map.of("role", "member")).status())
                    .isEqualTo(200);
            assertThat(api.get("/api/admin/users", admin.token()).status()).isEqualTo(403);
            assertThat(api.put("/api/admin/users/" + deputy.id() + "/role", deputy.token(), Map.of("role", "chief")).status())
                    .isEqualTo(400);
            JsonNode audit = api.get("/api/admin/audit?action=role_changed&actor=" + deputy.id(), deputy.token()).body();
            assertThat(audit.path("data").get(0).path("before").path("role").asString()).isEqualTo("admin");
            assertThat(audit.path("data").get(0).path("after").path("role").asString()).isEqualTo("member");
        } finally {
            for (UUID other : others) {
                jdbc.sql("UPDATE users SET role = 'admin' WHERE id = :id").param("id", other).update();
            }
        }
    }

    @Test
    void resetLinkSetsThePasswordOnceAndEndsSessions() {
        Users.TestUser forgetful = users.register("forgetful");
        JsonNode link = api.post("/api/admin/users/" + forgetful.id() + "/password-reset", admin.token(), null).body();
        String token = link.path("token").asString();
        assertThat(link.path("url").asString()).endsWith("/reset/" + token);
        assertThat(api.get("/api/auth/password-reset/" + token, null).body().path("username").asString())
                .isEqualTo(forgetful.username());

        assertThat(api.post("/api/auth/password-reset", null, Map.of("token", token, "password", "weak")).status()).isEqualTo(400);
        Api.Response used = api.post("/api/auth/password-reset", null, Map.of("token", token, "password", "N3w-Secret!"));
        assertThat(used.status()).as(used.text()).isEqualTo(204);
        assertThat(api.post("/api/auth/refresh", null, Map.of("refreshToken", forgetful.refreshToken())).status()).isEqualTo(401);
        assertThat(login(forgetful.username(), Users.PASSWORD).status()).isEqualTo(401);
        assertThat(login(forgetful.username(), "N3w-Secret!").status()).isEqualTo(200);
        assertThat(api.post("/api/auth/password-reset", null, Map.of("token", token, "password", "Other-Secret1")).status())
                .isEqualTo(404);
        assertThat(ended).anySatisfy(event -> assertThat(event.reason()).isEqualTo("password_reset"));
    }

    @Test
    void anAdministratorAddsSomeoneWhileRegistrationIsClosed() {
        put("/api/admin/settings", Map.of("registration", "closed"));
        String username = Users.uniqueName("added");
        Api.Response created = api.post("/api/admin/users", admin.token(), Map.of("username", username, "displayName", "New Person"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.body().path("user").path("role").asString()).isEqualTo("member");
        String token = created.body().path("passwordSetLink").path("token").asString();
        assertThat(login(username, "Set-Secret1").status()).isEqualTo(401);
        assertThat(api.post("/api/auth/password-reset", null, Map.of("token", token, "password", "Set-Secret1")).status())
                .isEqualTo(204);
        assertThat(login(username, "Set-Secret1").status()).isEqualTo(200);
        assertThat(api.post("/api/admin/users", admin.token(), Map.of("username", username)).status()).isEqualTo(409);
        assertThat(api.post("/api/admin/users", admin.token(), Map.of("username", "a b")).status()).isEqualTo(400);
    }

    @Test
    void signInsAndFailuresAreAudited() {
        Users.TestUser someone = users.register("audited");
        login(someone.username(), "Wrong-pass1");
        login(someone.username(), Users.PASSWORD);
        JsonNode failed = api.get("/api/admin/audit?action=login_failed&limit=100", admin.token()).body();
        assertThat(failed.path("data").toString()).contains(someone.username());
        JsonNode signIns = api.get("/api/admin/audit?action=login&actor=" + someone.id(), admin.token()).body();
        assertThat(signIns.path("data")).hasSize(1);
        assertThat(api.get("/api/admin/audit?limit=0", admin.token()).status()).isEqualTo(400);
        assertThat(api.get("/api/admin/audit?cursor=abc", admin.token()).status()).isEqualTo(400);
        JsonNode page = api.get("/api/admin/audit?limit=1", admin.token()).body();
        assertThat(page.path("hasMore").asBoolean()).isTrue();
        JsonNode next = api.get("/api/admin/audit?limit=1&cursor=" + page.path("nextCursor").asString(), admin.token()).body();
        assertThat(next.path("data").get(0).path("id").asLong()).isLessThan(page.path("data").get(0).path("id").asLong());
    }

    @Test
    void statsCountUsersChatsAndMessages() {
        String chatId = groupChat(admin);
        send(admin, chatId, "counted");
        JsonNode stats = api.get("/api/admin/stats", admin.token()).body();
        assertThat(stats.path("users").path("total").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.path("users").path("active1d").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.path("chats").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.path("messagesPerDay")).isNotEmpty();
        assertThat(stats.path("databaseSizeBytes").asLong()).isPositive();
    }

    @Test
    void exportsAreZipsOfJsonLinesWithoutDeletedMessages() throws Exception {
        String chatId = groupChat(admin);
        send(admin, chatId, "kept in the export");
        String deleted = send(admin, chatId, "deleted before the export");
        assertThat(api.delete("/api/messages/" + deleted, admin.token()).status()).isEqualTo(204);

        Api.Response started = api.post("/api/admin/exports", admin.token(), null);
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        String jobId = started.body().path("id").asString();
        JsonNode done = await().atMost(Duration.ofSeconds(60)).until(
                () -> api.get("/api/admin/exports/" + jobId, admin.token()).body(),
                job -> job.path("status").asString().equals("done"));
        assertThat(done.path("progress").asInt()).isEqualTo(100);
        Map<String, String> entries = unzip(download(done.path("downloadUrl").asString(), admin.token()));
        assertThat(entries).containsKey("users.jsonl");
        String messages = entries.get("chats/" + chatId + "/messages.jsonl");
        assertThat(messages).contains("kept in the export").doesNotContain("deleted before the export");
        assertThat(entries.get("chats/" + chatId + "/members.jsonl")).contains(admin.username());

        Users.TestUser member = users.register("exporter");
        assertThat(api.post("/api/admin/exports", member.token(), null).status()).isEqualTo(403);
        assertThat(api.get("/api/admin/exports/" + jobId, member.token()).status()).isEqualTo(403);
        String ownChat = groupChat(member);
        send(member, ownChat, "my own words");
        Api.Response mine = api.post("/api/users/me/export", member.token(), null);
        assertThat(mine.status()).isEqualTo(202);
        String mineId = mine.body().path("id").asString();
        JsonNode mineDone = await().atMost(Duration.ofSeconds(60)).until(
                () -> api.get("/api/users/me/exports/" + mineId, member.token()).body(),
                job -> job.path("status").asString().equals("done"));
        Map<String, String> own = unzip(download(mineDone.path("downloadUrl").asString(), member.token()));
        assertThat(own.get("messages.jsonl")).contains("my own words").doesNotContain("kept in the export");
        assertThat(own.get("profile.json")).contains(member.username());
        assertThat(api.get("/api/users/me/exports/" + mineId, admin.token()).status()).as("not the admin's own job").isEqualTo(404);
    }

    @Test
    void retentionDeletesOldMessagesAndReportsIt() {
        String chatId = groupChat(admin);
        String old = send(admin, chatId, "from long ago");
        String recent = send(admin, chatId, "from today");
        jdbc.sql("UPDATE messages SET created_at = now() - interval '40 days' WHERE id = :id")
                .param("id", UUID.fromString(old)).update();
        put("/api/admin/settings", Map.of("messageRetentionDays", 30));

        Api.Response run = api.post("/api/admin/retention/run", admin.token(), null);
        assertThat(run.status()).as(run.text()).isEqualTo(200);
        assertThat(run.body().path("messagesDeleted").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(run.body().path("eventsDeleted").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(api.get("/api/messages/" + old, admin.token()).status()).isEqualTo(404);
        assertThat(api.get("/api/messages/" + recent, admin.token()).status()).isEqualTo(200);
        assertThat(api.get("/api/events?cursor=0", admin.token()).text()).doesNotContain("from long ago");
        JsonNode settings = api.get("/api/admin/settings", admin.token()).body();
        assertThat(settings.path("lastRetentionRun").path("retentionDays").asInt()).isEqualTo(30);
    }

    private Api.Response put(String path, Map<String, ?> body) {
        return api.put(path, admin.token(), body);
    }

    private Api.Response register(String username, String inviteToken) {
        Map<String, Object> body = new HashMap<>(Map.of("username", username, "password", Users.PASSWORD,
                "passwordConfirm", Users.PASSWORD));
        if (inviteToken != null) {
            body.put("inviteToken", inviteToken);
        }
        return api.post("/api/auth/register", null, body);
    }

    private Api.Response login(String username, String password) {
        return api.post("/api/auth/login", null, Map.of("username", username, "password", password));
    }

    private static String errorCode(Api.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(403);
        return response.body().path("error").path("code").asString();
    }

    private String groupChat(Users.TestUser owner) {
        Api.Response chat = api.post("/api/chats/group", owner.token(), Map.of("name", "Admin test " + UUID.randomUUID().toString().substring(0, 6)));
        assertThat(chat.status()).as(chat.text()).isEqualTo(201);
        return chat.body().path("chat").path("id").asString();
    }

    private String send(Users.TestUser sender, String chatId, String text) {
        Api.Response sent = api.post("/api/chats/" + chatId + "/messages", sender.token(), Map.of("content", text));
        assertThat(sent.status()).as(sent.text()).isEqualTo(201);
        return sent.body().path("message").path("id").asString();
    }

    private byte[] download(String path, String token) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static Map<String, String> unzip(byte[] zip) throws Exception {
        Map<String, String> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

}
