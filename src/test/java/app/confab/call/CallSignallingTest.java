package app.confab.call;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import app.confab.chat.ChatTestSupport;
import app.confab.support.Api;
import app.confab.support.Users.TestUser;
import app.confab.support.WsClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Call signalling through real WebSockets (docs/subsystems/calls.md): ringing every device,
 * answering on one, declining, the ring timeout, an offline callee, refusals and the rate limit.
 */
class CallSignallingTest extends ChatTestSupport {

    private String baseUrl() {
        return "http://localhost:" + port;
    }

    private WsClient connect(TestUser user) {
        return WsClient.connectReady(baseUrl(), user.token(), null);
    }

    private static JsonNode ack(WsClient ws, String type, Map<String, ?> data) {
        JsonNode reply = ws.request(type, data);
        assertThat(reply.path("type").asString()).as(reply.toString()).isEqualTo("ack");
        return reply.path("data");
    }

    private static JsonNode error(WsClient ws, String type, Map<String, ?> data) {
        JsonNode reply = ws.request(type, data);
        assertThat(reply.path("type").asString()).as(reply.toString()).isEqualTo("error");
        return reply.path("error");
    }

    private static JsonNode await(WsClient ws, String type, String callId) {
        return ws.await(frame -> type.equals(frame.path("type").asString())
                && callId.equals(frame.path("data").path("callId").asString()), WsClient.WAIT).path("data");
    }

    /** The chat's call log lines (call_ended system messages), newest first. */
    private List<JsonNode> callLog(TestUser reader, String chatId) {
        Api.Response page = api.get("/api/chats/" + chatId + "/messages", reader.token());
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        return page.body().path("data").valueStream()
                .filter(message -> "system".equals(message.path("contentType").asString())
                        && "call_ended".equals(message.path("system").path("action").asString())).toList();
    }

    /**
     * Moves the test clock in 5 s steps, each client speaking in between: the same clock drives the
     * sockets' 10 s idle timeout, which must not close them while a call's time passes.
     */
    private void advanceKeepingAlive(Duration total, WsClient... clients) {
        for (Duration left = total; !left.isZero(); ) {
            Duration step = left.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : left;
            clock.advance(step);
            left = left.minus(step);
            for (WsClient client : clients) {
                client.send(Map.of("type", "ping"));
                client.awaitType("pong");
            }
        }
    }

    @Test
    void aCallRingsEveryDeviceAndAnsweringOnOneStopsTheOthers() {
        TestUser alice = users.register("calla");
        TestUser bob = users.register("callb");
        String chat = id(chats.direct(alice, bob));
        try (WsClient aliceWs = connect(alice); WsClient bobPhone = connect(bob); WsClient bobLaptop = connect(bob)) {
            JsonNode invited = ack(aliceWs, "call:invite", Map.of("chatId", chat, "video", true));
            String callId = invited.path("callId").asString();
            assertThat(invited.path("state").asString()).isEqualTo("ringing");

            for (WsClient device : List.of(bobPhone, bobLaptop)) {
                JsonNode ring = await(device, "call:invite", callId);
                assertThat(ring.path("callerId").asString()).isEqualTo(alice.id().toString());
                assertThat(ring.path("chatId").asString()).isEqualTo(chat);
                assertThat(ring.path("video").asBoolean()).isTrue();
            }

            // Frozen from the answer to the hang-up, so the duration is exactly what the clock is moved by.
            clock.freeze();
            JsonNode accepted = ack(bobLaptop, "call:accept", Map.of("callId", callId));
            assertThat(accepted.path("state").asString()).isEqualTo("active");
            assertThat(accepted.path("joined").valueStream().map(JsonNode::asString).toList())
                    .containsExactlyInAnyOrder(alice.id().toString(), bob.id().toString());
            // The other device stops ringing (it hears bob answered) and the caller hears it too.
            assertThat(await(bobPhone, "call:accept", callId).path("userId").asString()).isEqualTo(bob.id().toString());
            assertThat(await(aliceWs, "call:accept", callId).path("userId").asString()).isEqualTo(bob.id().toString());
            // Answering twice (the phone, late) is refused.
            assertThat(error(bobPhone, "call:accept", Map.of("callId", callId)).path("code").asString()).isEqualTo("CONFLICT");

            // Signalling reaches the other participant only, with who sent it.
            ack(bobLaptop, "call:offer", Map.of("callId", callId, "toUserId", alice.id(), "sdp", "v=0 offer"));
            JsonNode offer = await(aliceWs, "call:offer", callId);
            assertThat(offer.path("fromUserId").asString()).isEqualTo(bob.id().toString());
            assertThat(offer.path("sdp").asString()).isEqualTo("v=0 offer");
            ack(aliceWs, "call:answer", Map.of("callId", callId, "toUserId", bob.id(), "sdp", "v=0 answer"));
            assertThat(await(bobLaptop, "call:answer", callId).path("sdp").asString()).isEqualTo("v=0 answer");
            Map<String, Object> candidate = Map.of("candidate", "candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host",
                    "sdpMid", "0", "sdpMLineIndex", 0);
            ack(aliceWs, "call:ice", Map.of("callId", callId, "toUserId", bob.id(), "candidate", candidate));
            assertThat(await(bobLaptop, "call:ice", callId).path("candidate").path("sdpMid").asString()).isEqualTo("0");
            assertThat(error(aliceWs, "call:offer", Map.of("callId", callId, "toUserId", alice.id(), "sdp", "x"))
                    .path("code").asString()).isEqualTo("VALIDATION_ERROR");
            assertThat(error(aliceWs, "call:ice", Map.of("callId", callId, "toUserId", bob.id(), "candidate", "nope"))
                    .path("code").asString()).isEqualTo("VALIDATION_ERROR");

            advanceKeepingAlive(Duration.ofSeconds(45), aliceWs, bobPhone, bobLaptop);
            JsonNode hungUp = ack(aliceWs, "call:hangup", Map.of("callId", callId));
            assertThat(hungUp.path("state").asString()).isEqualTo("ended");
            for (WsClient device : List.of(aliceWs, bobPhone, bobLaptop)) {
                JsonNode ended = await(device, "call:ended", callId);
                assertThat(ended.path("outcome").asString()).isEqualTo("ended");
                assertThat(ended.path("durationSec").asInt()).isEqualTo(45);
            }
            // The other end's late hang-up is harmless.
            assertThat(ack(bobLaptop, "call:hangup", Map.of("callId", callId)).path("state").asString()).isEqualTo("ended");
            assertThat(error(aliceWs, "call:offer", Map.of("callId", callId, "toUserId", bob.id(), "sdp", "v=0"))
                    .path("code").asString()).isEqualTo("CONFLICT");
        }
        List<JsonNode> log = callLog(bob, chat);
        assertThat(log).hasSize(1);
        assertThat(log.getFirst().path("senderId").asString()).isEqualTo(alice.id().toString());
        assertThat(log.getFirst().path("content").asString()).isEmpty();
        assertThat(log.getFirst().path("system").path("actorId").asString()).isEqualTo(alice.id().toString());
        JsonNode call = log.getFirst().path("system").path("call");
        assertThat(call.path("outcome").asString()).isEqualTo("ended");
        assertThat(call.path("durationSec").asInt()).isEqualTo(45);
        assertThat(call.path("video").asBoolean()).isTrue();
    }

    @Test
    void declineStopsEveryDeviceAndLogsADeclinedCall() {
        TestUser alice = users.register("calla");
        TestUser bob = users.register("callb");
        String chat = id(chats.direct(alice, bob));
        try (WsClient aliceWs = connect(alice); WsClient bobPhone = connect(bob); WsClient bobLaptop = connect(bob)) {
            String callId = ack(aliceWs, "call:invite", Map.of("chatId", chat)).path("callId").asString();
            await(bobPhone, "call:invite", callId);
            await(bobLaptop, "call:invite", callId);
            ack(bobPhone, "call:decline", Map.of("callId", callId));
            assertThat(await(bobLaptop, "call:decline", callId).path("userId").asString()).isEqualTo(bob.id().toString());
            for (WsClient device : List.of(aliceWs, bobLaptop)) {
                JsonNode ended = await(device, "call:ended", callId);
                assertThat(ended.path("outcome").asString()).isEqualTo("declined");
                assertThat(ended.path("video").asBoolean()).isFalse();
            }
            assertThat(error(bobLaptop, "call:accept", Map.of("callId", callId)).path("code").asString()).isEqualTo("CONFLICT");
            // The chat is free for the next call.
            ack(aliceWs, "call:invite", Map.of("chatId", chat));
        }
        assertThat(callLog(alice, chat)).extracting(m -> m.path("system").path("call").path("outcome").asString())
                .contains("declined");
    }

    @Test
    void anUnansweredCallEndsAsMissedAfterTheRingTimeout() {
        TestUser alice = users.register("calla");
        TestUser bob = users.register("callb");
        String chat = id(chats.direct(alice, bob));
        try (WsClient aliceWs = connect(alice); WsClient bobWs = connect(bob)) {
            JsonNode invited = ack(aliceWs, "call:invite", Map.of("chatId", chat, "video", false));
            String callId = invited.path("callId").asString();
            await(bobWs, "call:invite", callId);
            // A second call in the same chat while this one rings is refused.
            assertThat(error(bobWs, "call:invite", Map.of("chatId", chat)).path("code").asString()).isEqualTo("CONFLICT");

            advanceKeepingAlive(Duration.ofSeconds(11), aliceWs, bobWs);
            for (WsClient device : List.of(aliceWs, bobWs)) {
                JsonNode ended = await(device, "call:ended", callId);
                assertThat(ended.path("outcome").asString()).isEqualTo("missed");
                assertThat(ended.path("durationSec").asInt()).isZero();
                assertThat(ended.path("messageId").asString()).isNotEmpty();
            }
            assertThat(error(bobWs, "call:accept", Map.of("callId", callId)).path("code").asString()).isEqualTo("CONFLICT");
        }
        List<JsonNode> log = callLog(bob, chat);
        assertThat(log).hasSize(1);
        assertThat(log.getFirst().path("system").path("call").path("outcome").asString()).isEqualTo("missed");
        assertThat(log.getFirst().path("system").path("call").path("video").asBoolean()).isFalse();
    }

    @Test
    void callingSomeoneWithNoConnectedDeviceIsAnImmediateMissedCall() {
        TestUser alice = users.register("calla");
        TestUser bob = users.register("callb");
        String chat = id(chats.direct(alice, bob));
        String messageId;
        try (WsClient aliceWs = connect(alice)) {
            JsonNode invited = ack(aliceWs, "call:invite", Map.of("chatId", chat, "video", true));
            assertThat(invited.path("state").asString()).isEqualTo("ended");
            assertThat(invited.path("outcome").asString()).isEqualTo("unavailable");
            messageId = invited.path("messageId").asString();
            assertThat(messageId).isNotEmpty();
        }
        List<JsonNode> log = callLog(bob, chat);
        assertThat(log).hasSize(1);
        assertThat(log.getFirst().path("system").path("call").path("outcome").asString()).isEqualTo("unavailable");
        assertThat(log.getFirst().path("id").asString()).isEqualTo(messageId);
    }

    @Test
    void strangersNonMembersAndBlockedUsersCannotCall() {
        TestUser alice = users.register("calla");
        TestUser bob = users.register("callb");
        TestUser mallory = users.register("callm");
        TestUser carol = users.register("callc");
        String chat = id(chats.direct(alice, bob));
        String carolChat = id(chats.direct(alice, carol));
        try (WsClient aliceWs = connect(alice); WsClient bobWs = connect(bob); WsClient malloryWs = connect(mallory);
             WsClient carolWs = connect(carol)) {
            // Not a member: the same answer as for a chat that does not exist.
            JsonNode notMember = error(malloryWs, "call:invite", Map.of("chatId", chat));
            JsonNode madeUp = error(malloryWs, "call:invite", Map.of("chatId", java.util.UUID.randomUUID()));
            assertThat(notMember.path("code").asString()).isEqualTo("NOT_FOUND");
            assertThat(notMember.path("message")).isEqualTo(madeUp.path("message"));

            String callId = ack(aliceWs, "call:invite", Map.of("chatId", chat)).path("callId").asString();
            await(bobWs, "call:invite", callId);
            // A call someone else takes part in is as unknown as a made-up one, for every request.
            for (String type : List.of("call:accept", "call:decline", "call:hangup")) {
                assertThat(error(malloryWs, type, Map.of("callId", callId)).path("code").asString()).isEqualTo("NOT_FOUND");
                assertThat(error(malloryWs, type, Map.of("callId", java.util.UUID.randomUUID())).path("code").asString())
                        .isEqualTo("NOT_FOUND");
            }
            assertThat(error(malloryWs, "call:offer", Map.of("callId", callId, "toUserId", alice.id(), "sdp", "v=0"))
                    .path("code").asString()).isEqualTo("NOT_FOUND");
            assertThat(error(malloryWs, "call:accept", Map.of("callId", "not-a-uuid")).path("code").asString())
                    .isEqualTo("VALIDATION_ERROR");
            // Signalling before joining is refused: bob has not answered yet.
            assertThat(error(bobWs, "call:offer", Map.of("callId", callId, "toUserId", alice.id(), "sdp", "v=0"))
                    .path("code").asString()).isEqualTo("VALIDATION_ERROR");
            ack(aliceWs, "call:hangup", Map.of("callId", callId));
            assertThat(await(bobWs, "call:ended", callId).path("outcome").asString()).isEqualTo("missed");

            // A block, either way, stops calls in the direct chat.
            chats.block(carol.id(), alice.id());
            assertThat(error(aliceWs, "call:invite", Map.of("chatId", carolChat)).path("code").asString()).isEqualTo("FORBIDDEN");
            assertThat(error(carolWs, "call:invite", Map.of("chatId", carolChat)).path("code").asString()).isEqualTo("FORBIDDEN");
        }
        assertThat(mallory).isNotNull();
    }

    @Test
    void groupCallsRingEveryoneAndGoOnUntilOneIsLeft() {
        TestUser alice = users.register("calla");
        TestUser bob = users.register("callb");
        TestUser carol = users.register("callc");
        String chat = id(chats.group(alice, "standup", bob, carol));
        try (WsClient aliceWs = connect(alice); WsClient bobWs = connect(bob); WsClient carolWs = connect(carol)) {
            String callId = ack(aliceWs, "call:invite", Map.of("chatId", chat, "video", true)).path("callId").asString();
            assertThat(await(bobWs, "call:invite", callId).path("participants")).hasSize(3);
            await(carolWs, "call:invite", callId);
            assertThat(ack(bobWs, "call:accept", Map.of("callId", callId)).path("joined")).hasSize(2);
            JsonNode carolJoins = ack(carolWs, "call:accept", Map.of("callId", callId));
            assertThat(carolJoins.path("joined")).hasSize(3);
            // Mesh: carol offers to each one already in the call.
            ack(carolWs, "call:offer", Map.of("callId", callId, "toUserId", alice.id(), "sdp", "v=0 a"));
            ack(carolWs, "call:offer", Map.of("callId", callId, "toUserId", bob.id(), "sdp", "v=0 b"));
            assertThat(await(aliceWs, "call:offer", callId).path("sdp").asString()).isEqualTo("v=0 a");
            assertThat(await(bobWs, "call:offer", callId).path("sdp").asString()).isEqualTo("v=0 b");

            ack(aliceWs, "call:hangup", Map.of("callId", callId));
            assertThat(await(bobWs, "call:hangup", callId).path("userId").asString()).isEqualTo(alice.id().toString());
            ack(bobWs, "call:hangup", Map.of("callId", callId));
            assertThat(await(carolWs, "call:ended", callId).path("outcome").asString()).isEqualTo("ended");
        }
    }

    @Test
    void callRequestsAreRateLimited() {
        TestUser alice = users.register("calla");
        TestUser bob = users.register("callb");
        String chat = id(chats.direct(alice, bob));
        try (WsClient aliceWs = connect(alice); WsClient bobWs = connect(bob)) {
            ack(aliceWs, "call:invite", Map.of("chatId", chat));
            for (int i = 1; i < 10; i++) {
                assertThat(error(aliceWs, "call:invite", Map.of("chatId", chat)).path("code").asString()).isEqualTo("CONFLICT");
            }
            JsonNode limited = error(aliceWs, "call:invite", Map.of("chatId", chat));
            assertThat(limited.path("code").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");
            assertThat(bobWs.isClosed()).isFalse();
        }
    }

    @Test
    void iceServersAreEmptyWithoutTurnConfiguration() {
        TestUser alice = users.register("calla");
        Api.Response servers = api.get("/api/calls/ice-servers", alice.token());
        assertThat(servers.status()).as(servers.text()).isEqualTo(200);
        assertThat(servers.body().path("iceServers").isArray()).isTrue();
        assertThat(api.get("/api/calls/ice-servers", null).status()).isEqualTo(401);
    }
}
