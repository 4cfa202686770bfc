package app.confab.attachment;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.ServerNode;
import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An S3 outage fails uploads and downloads with 503, not the node (issue 14): readiness stays 200
 * and says {@code "storage":"degraded"}, and chat goes on. A real S3 server (S3Proxy over a
 * directory) serves a file, goes away and comes back: the same file downloads again afterwards.
 * One node for the whole story: a node start is the expensive part of this test.
 */
class StorageOutageTest {

    private static final String ACCESS_KEY = "confab-outage-access";
    private static final String SECRET_KEY = "confab-outage-secret-key";

    @Test
    void aBucketThatGoesAwayFailsUploadsAndDownloadsWith503AndLeavesTheNodeReady() throws Exception {
        int s3Port;
        try (ServerSocket socket = new ServerSocket(0)) {
            s3Port = socket.getLocalPort();
        }
        // One directory behind both S3Proxy instances: the outage loses the endpoint, not the objects.
        Path blobs = Files.createTempDirectory("confab-s3-outage");
        S3Proxy s3 = startS3(s3Port, blobs);
        try (ServerNode.SharedDatabase database = new ServerNode.SharedDatabase();
             ServerNode node = ServerNode.start(database.url(), null, database.dataDir().resolve("node"), Map.of(
                     "confab.storage.s3-endpoint", "http://127.0.0.1:" + s3Port,
                     "confab.storage.s3-bucket", "confab-outage",
                     "confab.storage.s3-access-key", ACCESS_KEY,
                     "confab.storage.s3-secret-key", SECRET_KEY,
                     "confab.storage.s3-region", "us-east-1"))) {
            Users.TestUser alice = node.users().register("so_a");
            Users.TestUser bob = node.users().register("so_b");
            Uploads uploads = new Uploads(node.baseUrl());
            Api.Response upload = uploads.upload(alice.token(),
                    List.of(Uploads.part("a.png", "image/png", TestImages.png(40, 30))));
            assertThat(upload.status()).as(upload.text()).isEqualTo(201);
            JsonNode attachment = upload.body().path("attachments").get(0);
            String path = "/api/attachments/" + attachment.path("id").asString();
            byte[] original = uploads.get(path, alice.token()).body();
            assertThat(uploads.get(path, alice.token()).status()).isEqualTo(200);

            s3.stop();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Api.Response ready = node.api().get("/health/ready", null);
                assertThat(ready.status()).as(ready.text()).isEqualTo(200);
                assertThat(ready.body().path("services").path("storage").asString()).isEqualTo("degraded");
            });
            Api.Response failedUpload = uploads.upload(alice.token(),
                    List.of(Uploads.part("b.png", "image/png", TestImages.png(40, 30))));
            assertThat(failedUpload.status()).as(failedUpload.text()).isEqualTo(503);
            assertThat(failedUpload.errorCode()).isEqualTo("SERVICE_UNAVAILABLE");
            Uploads.Download download = uploads.get(path, alice.token());
            assertThat(download.status()).as(new String(download.body())).isEqualTo(503);
            assertThat(download.json().path("error").path("code").asString()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(uploads.get(path + "/thumbnail", alice.token()).status()).isEqualTo(503);

            Api.Response chat = node.api().post("/api/chats/direct", alice.token(), Map.of("userId", bob.id()));
            String chatId = chat.body().path("chat").path("id").asString();
            Api.Response sent = node.api().post("/api/chats/" + chatId + "/messages", alice.token(), Map.of("content", "text still works"));
            assertThat(sent.status()).as(sent.text()).isEqualTo(201);

            s3 = startS3(s3Port, blobs);
            Uploads.Download after = uploads.get(path, alice.token());
            assertThat(after.status()).as(new String(after.body())).isEqualTo(200);
            assertThat(after.body()).isEqualTo(original);
        } finally {
            s3.stop();
        }
    }

    private static S3Proxy startS3(int port, Path blobs) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.identity", ACCESS_KEY);
        properties.setProperty("jclouds.credential", SECRET_KEY);
        properties.setProperty("jclouds.filesystem.basedir", blobs.toString());
        S3Proxy server = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", properties))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        server.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> "STARTED".equals(server.getState()));
        return server;
    }
}
