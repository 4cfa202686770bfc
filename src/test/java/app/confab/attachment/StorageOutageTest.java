package app.confab.attachment;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.ServerNode;
import app.confab.support.Users;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An S3 outage fails uploads and downloads with 503, not the node (issue 14): readiness stays 200
 * and says {@code "storage":"degraded"}, and chat goes on.
 */
class StorageOutageTest {

    @Test
    void anUnreachableBucketFailsUploadsWith503AndLeavesTheNodeReady() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        try (ServerNode.SharedDatabase database = new ServerNode.SharedDatabase();
             ServerNode node = ServerNode.start(database.url(), null, database.dataDir().resolve("node"), Map.of(
                     "confab.storage.s3-endpoint", "http://127.0.0.1:" + deadPort,
                     "confab.storage.s3-bucket", "confab",
                     "confab.storage.s3-access-key", "access",
                     "confab.storage.s3-secret-key", "secret-secret",
                     "confab.storage.s3-region", "us-east-1"))) {
            Api.Response ready = node.api().get("/health/ready", null);
            assertThat(ready.status()).as(ready.text()).isEqualTo(200);
            assertThat(ready.body().path("services").path("storage").asString()).isEqualTo("degraded");

            Users.TestUser alice = node.users().register("so_a");
            Users.TestUser bob = node.users().register("so_b");
            Api.Response upload = new Uploads(node.baseUrl()).upload(alice.token(),
                    List.of(Uploads.part("a.png", "image/png", TestImages.png(40, 30))));
            assertThat(upload.status()).as(upload.text()).isEqualTo(503);
            assertThat(upload.errorCode()).isEqualTo("SERVICE_UNAVAILABLE");

            Api.Response chat = node.api().post("/api/chats/direct", alice.token(), Map.of("userId", bob.id()));
            String chatId = chat.body().path("chat").path("id").asString();
            Api.Response sent = node.api().post("/api/chats/" + chatId + "/messages", alice.token(), Map.of("content", "text still works"));
            assertThat(sent.status()).as(sent.text()).isEqualTo(201);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
