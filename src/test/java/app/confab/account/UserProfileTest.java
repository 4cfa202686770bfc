package app.confab.account;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class UserProfileTest extends IntegrationTest {

    private static List<String> fields(Api.Response response) {
        return response.body().path("error").path("details").valueStream()
                .map(detail -> detail.path("field").asString()).toList();
    }

    private static String randomLetters(int length) {
        StringBuilder letters = new StringBuilder(length);
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < length; i++) {
            letters.append((char) ('a' + random.nextInt(26)));
        }
        return letters.toString();
    }

    private Users.TestUser registerAs(String username, String displayName) {
        Map<String, Object> body = new HashMap<>(Map.of("username", username, "password", Users.PASSWORD,
                "passwordConfirm", Users.PASSWORD));
        if (displayName != null) {
            body.put("displayName", displayName);
        }
        Api.Response response = api.post("/api/auth/register", null, body);
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return new Users.TestUser(UUID.fromString(response.body().path("user").path("id").asString()), username,
                response.body().path("accessToken").asString(), response.body().path("refreshToken").asString());
    }

    @Test
    void meAndOtherUsersAreReadableWithoutSecrets() {
        Users.TestUser alice = users.register("me");
        Users.TestUser bob = users.register("other");

        Api.Response me = api.get("/api/users/me", alice.token());
        assertThat(me.status()).isEqualTo(200);
        JsonNode user = me.body().path("user");
        assertThat(user.path("id").asString()).isEqualTo(alice.id().toString());
        assertThat(user.path("username").asString()).isEqualTo(alice.username());
        assertThat(user.path("displayName").asString()).isEqualTo(alice.username());
        assertThat(user.path("status").asString()).isEqualTo("offline");
        assertThat(user.has("avatarUrl")).isTrue();
        assertThat(me.text()).doesNotContainIgnoringCase("password").doesNotContain("$2a$");

        Api.Response other = api.get("/api/users/" + bob.id(), alice.token());
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.body().path("user").path("username").asString()).isEqualTo(bob.username());
        assertThat(other.text()).doesNotContainIgnoringCase("password");

        Api.Response unknown = api.get("/api/users/" + UUID.randomUUID(), alice.token());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("NOT_FOUND");

        Api.Response notUuid = api.get("/api/users/not-a-uuid", alice.token());
        assertThat(notUuid.status()).isEqualTo(400);
        assertThat(notUuid.errorCode()).isEqualTo("VALIDATION_ERROR");
        assertThat(fields(notUuid)).containsExactly("id");

        assertThat(api.get("/api/users/me", null).status()).isEqualTo(401);
        assertThat(api.get("/api/users/" + bob.id(), null).status()).isEqualTo(401);
    }

    @Test
    void displayNameCanBeChangedAndIsValidated() {
        Users.TestUser alice = users.register("dname");
        Api.Response updated = api.put("/api/users/me", alice.token(), Map.of("displayName", "  Alice W.  "));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.body().path("user").path("displayName").asString()).isEqualTo("Alice W.");
        assertThat(api.get("/api/users/me", alice.token()).body().path("user").path("displayName").asString())
                .isEqualTo("Alice W.");

        assertThat(fields(api.put("/api/users/me", alice.token(), Map.of("displayName", "x".repeat(101)))))
                .containsExactly("displayName");
        assertThat(fields(api.put("/api/users/me", alice.token(), Map.of("displayName", "   "))))
                .containsExactly("displayName");
        assertThat(fields(api.put("/api/users/me", alice.token(), Map.of("displayName", "bell\u0007"))))
                .containsExactly("displayName");
        Api.Response nothing = api.put("/api/users/me", alice.token(), Map.of());
        assertThat(nothing.status()).isEqualTo(400);
        assertThat(nothing.errorCode()).isEqualTo("VALIDATION_ERROR");
        assertThat(api.get("/api/users/me", alice.token()).body().path("user").path("displayName").asString())
                .isEqualTo("Alice W.");
    }

    @Test
    void passwordChangeChecksTheCurrentPasswordAndEndsOtherSessions() {
        Users.TestUser alice = users.register("chpw");
        Api.Response otherDevice = api.post("/api/auth/login", null,
                Map.of("username", alice.username(), "password", Users.PASSWORD));
        String otherAccess = otherDevice.body().path("accessToken").asString();
        String otherRefresh = otherDevice.body().path("refreshToken").asString();
        String newPassword = "N3w-Secret!";

        Api.Response allBad = api.put("/api/users/me", alice.token(),
                Map.of("newPassword", "weak", "newPasswordConfirm", "other"));
        assertThat(allBad.status()).isEqualTo(400);
        assertThat(fields(allBad)).contains("currentPassword", "newPassword", "newPasswordConfirm");

        Api.Response wrongCurrent = api.put("/api/users/me", alice.token(), Map.of("currentPassword", "Wrong123!",
                "newPassword", newPassword, "newPasswordConfirm", newPassword));
        assertThat(wrongCurrent.status()).isEqualTo(400);
        assertThat(fields(wrongCurrent)).containsExactly("currentPassword");
        assertThat(api.get("/api/users/me", otherAccess).status()).as("a failed change ends nothing").isEqualTo(200);

        Api.Response changed = api.put("/api/users/me", alice.token(), Map.of("currentPassword", Users.PASSWORD,
                "newPassword", newPassword, "newPasswordConfirm", newPassword, "displayName", "Alice"));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body().path("user").path("displayName").asString()).isEqualTo("Alice");

        assertThat(api.get("/api/users/me", alice.token()).status()).as("this session goes on").isEqualTo(200);
        assertThat(api.get("/api/users/me", otherAccess).status()).as("other sessions end").isEqualTo(401);
        assertThat(api.post("/api/auth/refresh", null, Map.of("refreshToken", otherRefresh)).status()).isEqualTo(401);
        assertThat(api.post("/api/auth/login", null, Map.of("username", alice.username(), "password", Users.PASSWORD))
                .status()).isEqualTo(401);
        assertThat(api.post("/api/auth/login", null, Map.of("username", alice.username(), "password", newPassword))
                .status()).isEqualTo(200);
    }

    @Test
    void avatarUrlsMayOnlyBeAvatarsOfThisServerAndNullClearsIt() {
        Users.TestUser alice = users.register("avatar");
        String serverPath = "/api/users/" + alice.id() + "/avatar?v=abc123";
        Api.Response set = api.patch("/api/users/me/avatar", alice.token(), Map.of("avatarUrl", serverPath));
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(set.body().path("user").path("avatarUrl").asString()).isEqualTo(serverPath);

        List<Object> bad = List.of("https://images.example.com/a/alice.png", "javascript:alert(1)", "ftp://example.com/a.png",
                "data:image/png;base64,AAAA", "//evil.example.com/a.png", "/etc/passwd", "/api/../etc/passwd",
                "/api/attachments/" + UUID.randomUUID() + "/thumbnail", "/api/users/me", "/api/admin/users",
                "/api/users/%2e%2e/admin/avatar", "/api/users/" + alice.id() + "/avatar/../../admin",
                "/api/users/" + alice.id() + "/avatar?v=a&x=1", "", "/api/users/" + alice.id() + "/avatar?v=" + "a".repeat(500),
                42, true, Map.of("url", "https://example.com"));
        for (Object value : bad) {
            Map<String, Object> body = new HashMap<>();
            body.put("avatarUrl", value);
            Api.Response response = api.patch("/api/users/me/avatar", alice.token(), body);
            assertThat(response.status()).as(String.valueOf(value)).isEqualTo(400);
            assertThat(response.errorCode()).isEqualTo("VALIDATION_ERROR");
            assertThat(fields(response)).as(String.valueOf(value)).containsExactly("avatarUrl");
        }
        assertThat(fields(api.patch("/api/users/me/avatar", alice.token(), Map.of()))).containsExactly("avatarUrl");
        assertThat(api.get("/api/users/me", alice.token()).body().path("user").path("avatarUrl").asString())
                .as("bad values changed nothing").isEqualTo(serverPath);

        Map<String, Object> clear = new HashMap<>();
        clear.put("avatarUrl", null);
        Api.Response cleared = api.patch("/api/users/me/avatar", alice.token(), clear);
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.body().path("user").path("avatarUrl").isNull()).isTrue();
    }

    @Test
    void searchMatchesUsernameAndDisplayNamePrefixesCaseInsensitively() {
        String prefix = "s" + randomLetters(7);
        Users.TestUser caller = registerAs(prefix + "_me", null);
        Users.TestUser underscore = registerAs(prefix + "_one", null);
        Users.TestUser letter = registerAs(prefix + "c_two", null);
        String displayToken = "Zq" + randomLetters(8);
        Users.TestUser byDisplay = registerAs(Users.uniqueName("dsp"), displayToken + " Smith");

        Api.Response byPrefix = api.get("/api/users/search?q=" + prefix.toUpperCase(), caller.token());
        assertThat(byPrefix.status()).isEqualTo(200);
        assertThat(usernames(byPrefix)).containsExactly(underscore.username(), letter.username());
        assertThat(byPrefix.body().path("hasMore").asBoolean()).isFalse();
        assertThat(byPrefix.body().path("nextCursor").isNull()).isTrue();
        assertThat(byPrefix.text()).doesNotContainIgnoringCase("password").doesNotContain("$2a$");

        // '_' is a literal, not a LIKE wildcard; '%' matches nothing.
        assertThat(usernames(api.get("/api/users/search?q=" + prefix + "_", caller.token())))
                .containsExactly(underscore.username());
        assertThat(usernames(api.get("/api/users/search?q=%25", caller.token()))).isEmpty();

        Api.Response display = api.get("/api/users/search?q=" + displayToken.toLowerCase(), caller.token());
        assertThat(usernames(display)).containsExactly(byDisplay.username());
        assertThat(display.body().path("data").get(0).path("displayName").asString()).isEqualTo(displayToken + " Smith");

        // Prefix, not substring.
        assertThat(usernames(api.get("/api/users/search?q=" + prefix.substring(1), caller.token()))).isEmpty();
    }

    @Test
    void searchPagesThroughEveryMatchOnceInUsernameOrder() {
        String prefix = "p" + randomLetters(7);
        Users.TestUser caller = registerAs(prefix + "_caller", null);
        List<String> expected = new ArrayList<>();
        for (String suffix : List.of("e", "A", "c", "b", "d")) {
            expected.add(registerAs(prefix + suffix, null).username());
        }
        expected.sort(String.CASE_INSENSITIVE_ORDER);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Api.Response page = api.get("/api/users/search?q=" + prefix + "&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), caller.token());
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body().path("data").size()).isLessThanOrEqualTo(2);
            seen.addAll(usernames(page));
            cursor = page.body().path("hasMore").asBoolean() ? page.body().path("nextCursor").asString() : null;
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).as("the caller is left out").containsExactlyElementsOf(expected);
    }

    @Test
    void searchValidatesEveryParameter() {
        Users.TestUser alice = users.register("sval");
        Api.Response missing = api.get("/api/users/search", alice.token());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(fields(missing)).containsExactly("q");

        Api.Response allBad = api.get("/api/users/search?q=%20&limit=abc&cursor=%2A%2A", alice.token());
        assertThat(allBad.status()).isEqualTo(400);
        assertThat(fields(allBad)).containsExactlyInAnyOrder("q", "limit", "cursor");

        assertThat(fields(api.get("/api/users/search?q=a&limit=0", alice.token()))).containsExactly("limit");
        assertThat(fields(api.get("/api/users/search?q=a&limit=101", alice.token()))).containsExactly("limit");
        assertThat(api.get("/api/users/search?q=a&limit=100", alice.token()).status()).isEqualTo(200);
        assertThat(api.get("/api/users/search?q=a", null).status()).isEqualTo(401);
    }

    private static List<String> usernames(Api.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.body().path("data").valueStream().map(user -> user.path("username").asString()).toList();
    }
}
