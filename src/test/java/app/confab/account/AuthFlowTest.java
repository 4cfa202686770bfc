package app.confab.account;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class AuthFlowTest extends IntegrationTest {

    private static final String PASSWORD = Users.PASSWORD;

    private Api.Response register(String username, String password, String confirm) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", username);
        body.put("password", password);
        body.put("passwordConfirm", confirm);
        return api.post("/api/auth/register", null, body);
    }

    private Api.Response login(String username, String password) {
        return api.post("/api/auth/login", null, Map.of("username", username, "password", password));
    }

    private static List<String> fields(Api.Response response) {
        return response.body().path("error").path("details").valueStream()
                .map(detail -> detail.path("field").asString()).toList();
    }

    private static List<String> messages(Api.Response response) {
        return response.body().path("error").path("details").valueStream()
                .map(detail -> detail.path("message").asString()).toList();
    }

    private static JsonNode jwtPayload(String token) {
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        String json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        return Api.json().readTree(json);
    }

    @Test
    void registerAnswers201WithUserAndTokensAndNeverThePasswordHash() {
        String username = Users.uniqueName("reg");
        Api.Response response = register(username, PASSWORD, PASSWORD);

        assertThat(response.status()).isEqualTo(201);
        JsonNode user = response.body().path("user");
        assertThat(user.path("id").asString()).isNotBlank();
        assertThat(user.path("username").asString()).isEqualTo(username);
        assertThat(user.path("displayName").asString()).isEqualTo(username);
        assertThat(user.path("createdAt").asString()).isNotBlank();
        assertThat(response.body().path("accessToken").asString()).isNotBlank();
        assertThat(response.body().path("refreshToken").asString()).isNotBlank();
        assertThat(response.text()).doesNotContainIgnoringCase("hash").doesNotContain("$2a$");

        Api.Response me = api.get("/api/users/me", response.body().path("accessToken").asString());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().path("user").path("username").asString()).isEqualTo(username);
    }

    @Test
    void tokensCarryTheSeedPayloadsWithTheirLifetimes() {
        Users.TestUser alice = users.register("jwt");
        JsonNode access = jwtPayload(alice.token());
        assertThat(access.path("userId").asString()).isEqualTo(alice.id().toString());
        assertThat(access.path("type").asString()).isEqualTo("access");
        assertThat(access.path("exp").asLong() - access.path("iat").asLong()).isEqualTo(15 * 60);

        JsonNode refresh = jwtPayload(alice.refreshToken());
        assertThat(refresh.path("userId").asString()).isEqualTo(alice.id().toString());
        assertThat(refresh.path("type").asString()).isEqualTo("refresh");
        assertThat(refresh.path("sessionId").asString()).isNotBlank();
        assertThat(refresh.path("exp").asLong() - refresh.path("iat").asLong()).isEqualTo(7 * 24 * 3600);

        String header = new String(Base64.getUrlDecoder().decode(alice.token().split("\\.")[0]), StandardCharsets.UTF_8);
        assertThat(Api.json().readTree(header).path("alg").asString()).isEqualTo("HS256");
    }

    @Test
    void everyUsernameRuleIsEnforced() {
        assertThat(fields(register(null, PASSWORD, PASSWORD))).containsExactly("username");
        assertThat(fields(register("", PASSWORD, PASSWORD))).containsExactly("username");
        assertThat(messages(register("ab", PASSWORD, PASSWORD))).containsExactly("Username must be at least 3 characters");
        assertThat(messages(register("a".repeat(51), PASSWORD, PASSWORD))).containsExactly("Username must be at most 50 characters");
        for (String bad : List.of("has space", "dash-name", "dot.name", "émile", "semi;colon", " lead")) {
            Api.Response response = register(bad, PASSWORD, PASSWORD);
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.errorCode()).isEqualTo("VALIDATION_ERROR");
            assertThat(fields(response)).as(bad).containsExactly("username");
        }
        // The boundaries themselves are fine.
        String three = java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 3);
        assertThat(register(three, PASSWORD, PASSWORD).status()).isEqualTo(201);
        String fifty = (Users.uniqueName("x") + "_".repeat(50)).substring(0, 50);
        assertThat(register(fifty, PASSWORD, PASSWORD).status()).isEqualTo(201);
    }

    @Test
    void everyPasswordRuleIsEnforcedAndReportedTogether() {
        String username = Users.uniqueName("pw");
        Map<String, String> cases = Map.of(
                "Sh0rt!", "Password must be at least 8 characters",
                "lowercase1!", "Must contain uppercase letter",
                "UPPERCASE1!", "Must contain lowercase letter",
                "NoDigits!!", "Must contain number",
                "NoSpecial123", "Must contain special character");
        cases.forEach((password, message) -> {
            Api.Response response = register(username, password, password);
            assertThat(response.status()).as(password).isEqualTo(400);
            assertThat(messages(response)).as(password).containsExactly(message);
        });
        assertThat(messages(register(username, "Aa1!" + "x".repeat(70), "Aa1!" + "x".repeat(70))))
                .containsExactly("Password must be at most 72 bytes");

        Api.Response missing = register(username, null, null);
        assertThat(fields(missing)).containsExactly("password", "passwordConfirm");

        Api.Response mismatch = register(username, PASSWORD, PASSWORD + "x");
        assertThat(fields(mismatch)).containsExactly("passwordConfirm");

        // Several bad fields: every one is listed.
        Api.Response all = register("x", "short", "other");
        assertThat(all.status()).isEqualTo(400);
        assertThat(fields(all)).contains("username", "password", "passwordConfirm");
        assertThat(messages(all)).contains("Password must be at least 8 characters", "Must contain uppercase letter",
                "Must contain number", "Must contain special character");

        assertThat(login(username, PASSWORD).status()).as("nothing was registered").isEqualTo(401);
    }

    @Test
    void displayNameIsOptionalAndValidated() {
        String username = Users.uniqueName("dn");
        Map<String, Object> body = new HashMap<>(Map.of("username", username, "password", PASSWORD,
                "passwordConfirm", PASSWORD, "displayName", "d".repeat(101)));
        Api.Response tooLong = api.post("/api/auth/register", null, body);
        assertThat(fields(tooLong)).containsExactly("displayName");

        body.put("displayName", "  Alice Liddell  ");
        Api.Response ok = api.post("/api/auth/register", null, body);
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.body().path("user").path("displayName").asString()).isEqualTo("Alice Liddell");
    }

    @Test
    void usernamesAreUniqueRegardlessOfCase() {
        String username = Users.uniqueName("Dup");
        assertThat(register(username, PASSWORD, PASSWORD).status()).isEqualTo(201);

        Api.Response same = register(username, PASSWORD, PASSWORD);
        assertThat(same.status()).isEqualTo(409);
        assertThat(same.errorCode()).isEqualTo("CONFLICT");

        Api.Response otherCase = register(username.toUpperCase(), PASSWORD, PASSWORD);
        assertThat(otherCase.status()).isEqualTo(409);
        assertThat(otherCase.errorCode()).isEqualTo("CONFLICT");
    }

    @Test
    void loginReturnsTokensAndRejectsBadCredentialsAlike() {
        Users.TestUser alice = users.register("login");

        Api.Response ok = login(alice.username(), PASSWORD);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().path("user").path("id").asString()).isEqualTo(alice.id().toString());
        assertThat(ok.body().path("accessToken").asString()).isNotBlank();
        assertThat(ok.body().path("refreshToken").asString()).isNotBlank();
        assertThat(ok.text()).doesNotContain("$2a$");

        assertThat(login(alice.username().toUpperCase(), PASSWORD).status()).as("username is case-insensitive").isEqualTo(200);

        Api.Response wrongPassword = login(alice.username(), "Wrong123!");
        Api.Response unknownUser = login(Users.uniqueName("nobody"), PASSWORD);
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(unknownUser.status()).isEqualTo(401);
        assertThat(wrongPassword.errorCode()).isEqualTo("UNAUTHORIZED");
        assertThat(wrongPassword.body().path("error").path("message").asString())
                .isEqualTo(unknownUser.body().path("error").path("message").asString());

        Api.Response empty = api.post("/api/auth/login", null, Map.of());
        assertThat(empty.status()).isEqualTo(400);
        assertThat(fields(empty)).containsExactly("username", "password");
    }

    @Test
    void refreshRotatesAndEachRefreshTokenWorksOnce() {
        Users.TestUser alice = users.register("rot");

        Api.Response first = api.post("/api/auth/refresh", null, Map.of("refreshToken", alice.refreshToken()));
        assertThat(first.status()).isEqualTo(200);
        String access1 = first.body().path("accessToken").asString();
        String refresh1 = first.body().path("refreshToken").asString();
        assertThat(refresh1).isNotEqualTo(alice.refreshToken());
        assertThat(first.body().path("user").path("id").asString()).isEqualTo(alice.id().toString());
        assertThat(api.get("/api/users/me", access1).status()).isEqualTo(200);

        Api.Response second = api.post("/api/auth/refresh", null, Map.of("refreshToken", refresh1));
        assertThat(second.status()).isEqualTo(200);
        String refresh2 = second.body().path("refreshToken").asString();
        String access2 = second.body().path("accessToken").asString();

        // refresh1 again: reuse. The whole session ends, including the newest tokens.
        Api.Response reuse = api.post("/api/auth/refresh", null, Map.of("refreshToken", refresh1));
        assertThat(reuse.status()).isEqualTo(401);
        assertThat(reuse.errorCode()).isEqualTo("UNAUTHORIZED");
        assertThat(api.post("/api/auth/refresh", null, Map.of("refreshToken", refresh2)).status()).isEqualTo(401);
        assertThat(api.get("/api/users/me", access2).status()).isEqualTo(401);
        assertThat(api.get("/api/users/me", access1).status()).isEqualTo(401);
        assertThat(api.get("/api/users/me", alice.token()).status()).isEqualTo(401);

        // Other sessions of the same user are untouched.
        Api.Response again = login(alice.username(), PASSWORD);
        assertThat(api.get("/api/users/me", again.body().path("accessToken").asString()).status()).isEqualTo(200);
    }

    @Test
    void refreshRejectsMissingForgedAndAccessTokens() {
        Users.TestUser alice = users.register("rbad");
        Api.Response missing = api.post("/api/auth/refresh", null, Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(fields(missing)).containsExactly("refreshToken");

        assertThat(api.post("/api/auth/refresh", null, Map.of("refreshToken", "not.a.jwt")).status()).isEqualTo(401);
        // An access token is signed with the other key and has the wrong type.
        assertThat(api.post("/api/auth/refresh", null, Map.of("refreshToken", alice.token())).status()).isEqualTo(401);
        String[] parts = alice.refreshToken().split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        assertThat(api.post("/api/auth/refresh", null, Map.of("refreshToken", tampered)).status()).isEqualTo(401);
        // A refresh token is not an access token either.
        assertThat(api.get("/api/users/me", alice.refreshToken()).status()).isEqualTo(401);
        // None of that ended the session.
        assertThat(api.post("/api/auth/refresh", null, Map.of("refreshToken", alice.refreshToken())).status()).isEqualTo(200);
    }

    @Test
    void logoutWithTheRefreshTokenEndsTheSession() {
        Users.TestUser alice = users.register("out");
        Api.Response other = login(alice.username(), PASSWORD);

        Api.Response logout = api.post("/api/auth/logout", null, Map.of("refreshToken", alice.refreshToken()));
        assertThat(logout.status()).isEqualTo(204);
        assertThat(api.get("/api/users/me", alice.token()).status()).isEqualTo(401);
        assertThat(api.post("/api/auth/refresh", null, Map.of("refreshToken", alice.refreshToken())).status()).isEqualTo(401);

        assertThat(api.get("/api/users/me", other.body().path("accessToken").asString()).status())
                .as("another device stays signed in").isEqualTo(200);
    }

    @Test
    void logoutWithTheBearerTokenEndsTheSession() {
        Users.TestUser alice = users.register("outb");
        Api.Response logout = api.post("/api/auth/logout", alice.token(), null);
        assertThat(logout.status()).isEqualTo(204);
        assertThat(api.get("/api/users/me", alice.token()).status()).isEqualTo(401);
        assertThat(api.post("/api/auth/refresh", null, Map.of("refreshToken", alice.refreshToken())).status()).isEqualTo(401);

        Api.Response nothing = api.post("/api/auth/logout", null, null);
        assertThat(nothing.status()).isEqualTo(401);
        assertThat(nothing.errorCode()).isEqualTo("UNAUTHORIZED");
        assertThat(api.post("/api/auth/logout", null, Map.of("refreshToken", "garbage")).status()).isEqualTo(401);
    }

    @Test
    void accessTokensExpireAfter15MinutesAndRefreshKeepsTheSessionGoing() {
        Users.TestUser alice = users.register("exp");
        clock.advance(Duration.ofMinutes(14));
        assertThat(api.get("/api/users/me", alice.token()).status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        Api.Response expired = api.get("/api/users/me", alice.token());
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.errorCode()).isEqualTo("UNAUTHORIZED");

        Api.Response refreshed = api.post("/api/auth/refresh", null, Map.of("refreshToken", alice.refreshToken()));
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(api.get("/api/users/me", refreshed.body().path("accessToken").asString()).status()).isEqualTo(200);
    }

    @Test
    void refreshTokensExpireAfterSevenDaysWithoutUse() {
        Users.TestUser alice = users.register("rexp");
        // Used within 7 days, the session slides on.
        clock.advance(Duration.ofDays(6));
        Api.Response refreshed = api.post("/api/auth/refresh", null, Map.of("refreshToken", alice.refreshToken()));
        assertThat(refreshed.status()).isEqualTo(200);
        String next = refreshed.body().path("refreshToken").asString();

        clock.advance(Duration.ofDays(7).plusMinutes(1));
        Api.Response expired = api.post("/api/auth/refresh", null, Map.of("refreshToken", next));
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.errorCode()).isEqualTo("UNAUTHORIZED");
    }
}
