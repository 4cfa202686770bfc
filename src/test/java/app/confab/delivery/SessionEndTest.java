package app.confab.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.Cluster;
import app.confab.support.ServerNode;
import app.confab.support.Users;
import app.confab.support.Users.TestUser;
import app.confab.support.WsClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 1: when a sign-in session ends, its sockets close with 4401 within a second and its
 * waiting long-polls answer 401, on every node. Nodes A and B share a database and a real Redis
 * (the bus carries the news); node C shares the database but has no Redis (its bus reaches no other
 * node: only the periodic revocation check can tell it), and its access tokens live 6 s.
 */
class SessionEndTest {

    /** The bound of PRODUCT.md ("within a second"), counted from the HTTP answer that ended the session. */
    private static final Duration BOUND = Duration.ofSeconds(1);
    private static final Duration SHORT_TTL = Duration.ofSeconds(6);

    private static Cluster cluster;
    private static ServerNode nodeA;
    private static ServerNode nodeB;
    private static ServerNode nodeC;
    private static TestUser admin;

    @BeforeAll
    static void startNodes() {
        cluster = Cluster.withRedis();
        nodeA = cluster.node("a");
        nodeB = cluster.node("b");
        nodeC = cluster.nodeWithoutRedis("c", Map.of("confab.auth.access-token-ttl", SHORT_TTL.toMillis() + "ms"));
        // The first account of a fresh deployment is its administrator.
        admin = nodeA.users().register("se_admin");
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void logoutClosesTheSessionsSocketsOnThisAndOtherNodes() {
        TestUser alice = nodeA.users().register("se_logout");
        try (WsClient onA = WsClient.connectReady(nodeA.baseUrl(), alice.token(), null);
             WsClient onB = WsClient.connectReady(nodeB.baseUrl(), alice.token(), null)) {
            Api.Response out = nodeA.api().post("/api/auth/logout", alice.token(), Map.of("refreshToken", alice.refreshToken()));
            assertThat(out.status()).as(out.text()).isEqualTo(204);
            assertThat(onA.awaitClose(BOUND)).isEqualTo(4401);
            assertThat(onB.awaitClose(BOUND)).isEqualTo(4401);
        }
    }

    @Test
    void logoutReachesANodeWithoutTheBus() {
        TestUser alice = nodeA.users().register("se_nobus");
        try (WsClient onC = WsClient.connectReady(nodeC.baseUrl(), login(nodeA, alice), null);
             WsClient onCSame = WsClient.connectReady(nodeC.baseUrl(), alice.token(), null)) {
            // Only the session signed out on node A ends; node C hears nothing on its bus.
            Api.Response out = nodeA.api().post("/api/auth/logout", alice.token(), Map.of());
            assertThat(out.status()).as(out.text()).isEqualTo(204);
            assertThat(onCSame.awaitClose(BOUND)).isEqualTo(4401);
            assertAlive(onC);
            assertThat(onC.isClosed()).isFalse();
        }
    }

    @Test
    void passwordChangeClosesEveryOtherSessionOnly() {
        TestUser alice = nodeA.users().register("se_pw");
        String otherToken = login(nodeB, alice);
        try (WsClient mine = WsClient.connectReady(nodeA.baseUrl(), alice.token(), null);
             WsClient other = WsClient.connectReady(nodeB.baseUrl(), otherToken, null)) {
            Api.Response changed = nodeA.api().put("/api/users/me", alice.token(), Map.of("currentPassword", Users.PASSWORD,
                    "newPassword", "Another456!", "newPasswordConfirm", "Another456!"));
            assertThat(changed.status()).as(changed.text()).isEqualTo(200);
            assertThat(other.awaitClose(BOUND)).isEqualTo(4401);
            assertAlive(mine);
            assertThat(mine.isClosed()).isFalse();
        }
    }

    @Test
    void refreshTokenReuseClosesTheWholeSession() {
        TestUser alice = nodeA.users().register("se_reuse");
        Api.Response first = nodeA.api().post("/api/auth/refresh", null, Map.of("refreshToken", alice.refreshToken()));
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        String rotatedAccess = first.body().path("accessToken").asString();
        try (WsClient old = WsClient.connectReady(nodeA.baseUrl(), alice.token(), null);
             WsClient rotated = WsClient.connectReady(nodeB.baseUrl(), rotatedAccess, null)) {
            Api.Response reuse = nodeA.api().post("/api/auth/refresh", null, Map.of("refreshToken", alice.refreshToken()));
            assertThat(reuse.status()).isEqualTo(401);
            assertThat(old.awaitClose(BOUND)).isEqualTo(4401);
            assertThat(rotated.awaitClose(BOUND)).isEqualTo(4401);
        }
    }

    @Test
    void deactivationClosesEverySessionOnEveryNode() {
        TestUser bob = nodeA.users().register("se_deact");
        String second = login(nodeC, bob);
        try (WsClient onB = WsClient.connectReady(nodeB.baseUrl(), bob.token(), null);
             WsClient onC = WsClient.connectReady(nodeC.baseUrl(), second, null)) {
            Api.Response done = nodeA.api().post("/api/admin/users/" + bob.id() + "/deactivate", admin.token(), Map.of());
            assertThat(done.status()).as(done.text()).isEqualTo(200);
            assertThat(onB.awaitClose(BOUND)).isEqualTo(4401);
            assertThat(onC.awaitClose(BOUND)).isEqualTo(4401);
        }
    }

    @Test
    void aWaitingLongPollOfAnEndedSessionAnswers401AtOnce() throws Exception {
        TestUser alice = nodeA.users().register("se_poll");
        String cursor = nodeB.api().get("/api/events", alice.token()).body().path("cursor").asString();
        CompletableFuture<Api.Response> poll = CompletableFuture.supplyAsync(
                () -> nodeB.api().get("/api/events?cursor=" + cursor + "&timeout=30", alice.token()));
        Thread.sleep(300); // let the poll start waiting (if it has not, it is refused at the door: same answer)
        assertThat(nodeA.api().post("/api/auth/logout", alice.token(), Map.of()).status()).isEqualTo(204);
        Api.Response answered = poll.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(answered.status()).as(answered.text()).isEqualTo(401);
        assertThat(answered.errorCode()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void theSocketEndsWhenItsAccessTokenExpires() {
        TestUser alice = nodeA.users().register("se_exp");
        String shortLived = login(nodeC, alice);
        try (WsClient ws = WsClient.connectReady(nodeC.baseUrl(), shortLived, null)) {
            assertThat(ws.awaitClose(SHORT_TTL.plus(BOUND))).isEqualTo(4401);
        }
    }

    @Test
    void aWaitingLongPollEndsWithItsAccessToken() throws Exception {
        TestUser alice = nodeA.users().register("se_pexp");
        String shortLived = login(nodeC, alice);
        String cursor = nodeC.api().get("/api/events", shortLived).body().path("cursor").asString();
        long started = System.nanoTime();
        // Asks to wait 30 s, far past the token's 6 s life: the poll must not outlive the token.
        Api.Response answered = nodeC.api().get("/api/events?cursor=" + cursor + "&timeout=30", shortLived);
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        assertThat(answered.status()).as(answered.text()).isEqualTo(401);
        assertThat(answered.errorCode()).isEqualTo("UNAUTHORIZED");
        assertThat(waited).isLessThan(SHORT_TTL.plus(BOUND));
    }

    @Test
    void authRefreshExtendsTheSocketPastTheOldExpiry() throws Exception {
        TestUser alice = nodeA.users().register("se_ref");
        Api.Response signedIn = nodeC.api().post("/api/auth/login", null,
                Map.of("username", alice.username(), "password", Users.PASSWORD));
        long started = System.nanoTime();
        try (WsClient ws = WsClient.connectReady(nodeC.baseUrl(), signedIn.body().path("accessToken").asString(), null)) {
            // A bad token is an error frame; the socket stays.
            JsonNode bad = ws.request("auth:refresh", Map.of("token", "not-a-token"));
            assertThat(bad.path("type").asString()).isEqualTo("error");
            assertThat(bad.path("error").path("code").asString()).isEqualTo("UNAUTHORIZED");
            // Another user's valid token is refused too.
            JsonNode foreign = ws.request("auth:refresh", Map.of("token", admin.token()));
            assertThat(foreign.path("error").path("code").asString()).isEqualTo("UNAUTHORIZED");

            Thread.sleep(2_000); // the new token must expire well after the old one
            Api.Response refreshed = nodeC.api().post("/api/auth/refresh", null,
                    Map.of("refreshToken", signedIn.body().path("refreshToken").asString()));
            JsonNode ack = ws.request("auth:refresh", Map.of("token", refreshed.body().path("accessToken").asString()));
            assertThat(ack.path("type").asString()).as(ack.toString()).isEqualTo("ack");
            assertThat(ack.path("data").path("expiresAt").asString()).isNotEmpty();

            long oldExpiry = started + SHORT_TTL.toNanos();
            // Past the old token's expiry: the socket must NOT close then, and an absence cannot be awaited.
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(oldExpiry - System.nanoTime())) + 500);
            assertAlive(ws);
            // And the refreshed token's own expiry still ends it.
            assertThat(ws.awaitClose(SHORT_TTL.plus(BOUND))).isEqualTo(4401);
        }
    }

    /** The socket still answers (an application-level ping: pong with the same id). */
    private static void assertAlive(WsClient ws) {
        String id = ws.sendRequest("ping", Map.of());
        ws.await(frame -> "pong".equals(frame.path("type").asString()) && id.equals(frame.path("id").asString()), WsClient.WAIT);
        assertThat(ws.isClosed()).isFalse();
    }

    private static String login(ServerNode node, TestUser user) {
        Api.Response response = node.api().post("/api/auth/login", null,
                Map.of("username", user.username(), "password", Users.PASSWORD));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.body().path("accessToken").asString();
    }
}
