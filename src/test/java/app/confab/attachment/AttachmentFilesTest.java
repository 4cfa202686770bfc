package app.confab.attachment;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.confab.chat.ChatTestSupport;
import app.confab.support.Api;
import app.confab.support.Users.TestUser;
import tools.jackson.databind.JsonNode;

import static app.confab.attachment.TestImages.png;
import static app.confab.attachment.Uploads.part;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files of any type (docs/subsystems/attachments.md, "Files") through real HTTP and storage: uploaded
 * in the {@code files} field, sent in a message, downloaded as attachments with a safe type.
 */
class AttachmentFilesTest extends ChatTestSupport {

    private static final byte[] PDF = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    /** An empty zip archive: just the end-of-central-directory record. */
    private static final byte[] ZIP = {0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    private Uploads uploads;

    @BeforeEach
    void setUpUploads() {
        uploads = new Uploads(api.baseUrl());
    }

    @Test
    void pdfZipAndTextAreSentAndDownloadedAsAttachments() {
        TestUser alice = world.user("alice");
        TestUser bob = world.user("bob");
        String chatId = world.direct(alice, bob).id();

        Api.Response uploaded = uploads.upload(alice.token(), "files", List.of(
                part("Q3 report.pdf", "application/pdf", PDF),
                part("sources.zip", "application/zip", ZIP),
                part("notes – été.txt", "text/plain", "hello\n".getBytes(StandardCharsets.UTF_8)),
                part("chart.png", "image/png", png(40, 30))));
        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
        JsonNode files = uploaded.body().path("attachments");
        assertThat(files.get(0).path("kind").asString()).isEqualTo("file");
        assertThat(files.get(0).path("fileName").asString()).isEqualTo("Q3 report.pdf");
        assertThat(files.get(0).path("contentType").asString()).isEqualTo("application/pdf");
        assertThat(files.get(0).path("sizeBytes").asLong()).isEqualTo(PDF.length);
        assertThat(files.get(0).path("thumbnailUrl").isNull()).isTrue();
        assertThat(files.get(0).path("width").isNull()).isTrue();
        assertThat(files.get(1).path("contentType").asString()).isEqualTo("application/zip");
        assertThat(files.get(2).path("contentType").asString()).isEqualTo("text/plain");
        // An image among the files keeps its decoding, its thumbnails and its inline display.
        assertThat(files.get(3).path("kind").asString()).isEqualTo("image");
        assertThat(files.get(3).path("width").asInt()).isEqualTo(40);
        assertThat(files.get(3).path("thumbnailUrl").asString()).isNotBlank();

        List<String> ids = List.of(files.get(0).path("id").asString(), files.get(1).path("id").asString(),
                files.get(2).path("id").asString(), files.get(3).path("id").asString());
        Api.Response sent = api.post("/api/chats/" + chatId + "/messages", alice.token(),
                Map.of("content", "The report", "attachmentIds", ids));
        assertThat(sent.status()).as(sent.text()).isEqualTo(201);
        assertThat(sent.body().path("message").path("attachments").get(0).path("kind").asString()).isEqualTo("file");

        Uploads.Download pdf = uploads.get("/api/attachments/" + ids.get(0), bob.token());
        assertThat(pdf.status()).isEqualTo(200);
        assertThat(pdf.body()).isEqualTo(PDF);
        assertThat(pdf.header("Content-Type")).isEqualTo("application/pdf");
        assertThat(pdf.header("Content-Disposition")).startsWith("attachment;").contains("filename*=UTF-8''Q3%20report.pdf");
        assertThat(pdf.header("X-Content-Type-Options")).isEqualTo("nosniff");

        Uploads.Download text = uploads.get("/api/attachments/" + ids.get(2), bob.token());
        assertThat(text.header("Content-Disposition")).startsWith("attachment;")
                .contains("filename*=UTF-8''notes%20%E2%80%93%20%C3%A9t%C3%A9.txt");
        assertThat(text.body()).isEqualTo("hello\n".getBytes(StandardCharsets.UTF_8));

        // The signed link that bob's client gets works the same, without a token.
        String signedUrl = sent.body().path("message").path("attachments").get(1).path("url").asString();
        Uploads.Download zip = uploads.get(signedUrl.replaceFirst("^https?://[^/]+", ""), null);
        assertThat(zip.status()).isEqualTo(200);
        assertThat(zip.header("Content-Disposition")).startsWith("attachment;");
        assertThat(zip.body()).isEqualTo(ZIP);

        // A file has no derived sizes.
        assertThat(uploads.get("/api/attachments/" + ids.get(0) + "/thumbnail", bob.token()).status()).isEqualTo(404);
        // The image is still shown inline.
        assertThat(uploads.get("/api/attachments/" + ids.get(3), bob.token()).header("Content-Disposition")).startsWith("inline;");
    }

    @Test
    void htmlAndSvgAreServedAsOctetStreamDownloads() {
        TestUser alice = world.user("alice");
        Api.Response uploaded = uploads.upload(alice.token(), "files", List.of(
                part("page.html", "text/html", "<script>alert(document.cookie)</script>".getBytes(StandardCharsets.UTF_8)),
                part("logo.svg", "image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".getBytes(StandardCharsets.UTF_8)),
                part("fake.png", "image/png", "not an image at all".getBytes(StandardCharsets.UTF_8))));
        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);

        for (JsonNode file : uploaded.body().path("attachments")) {
            assertThat(file.path("kind").asString()).isEqualTo("file");
            assertThat(file.path("contentType").asString()).as(file.path("fileName").asString()).isEqualTo("application/octet-stream");
            Uploads.Download download = uploads.get("/api/attachments/" + file.path("id").asString(), alice.token());
            assertThat(download.status()).isEqualTo(200);
            assertThat(download.header("Content-Type")).isEqualTo("application/octet-stream");
            assertThat(download.header("Content-Disposition")).startsWith("attachment;");
            assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
    }

    @Test
    void nonMembersGetTheSameNotFoundForRealAndMadeUpFiles() {
        TestUser alice = world.user("alice");
        TestUser bob = world.user("bob");
        TestUser mallory = world.user("mallory");
        String chatId = world.direct(alice, bob).id();
        String fileId = uploads.upload(alice.token(), "files", List.of(part("a.pdf", "application/pdf", PDF)))
                .body().path("attachments").get(0).path("id").asString();
        assertThat(api.post("/api/chats/" + chatId + "/messages", alice.token(),
                Map.of("content", "", "attachmentIds", List.of(fileId))).status()).isEqualTo(201);

        Uploads.Download real = uploads.get("/api/attachments/" + fileId, mallory.token());
        Uploads.Download madeUp = uploads.get("/api/attachments/" + UUID.randomUUID(), mallory.token());
        assertThat(real.status()).isEqualTo(404);
        assertThat(madeUp.status()).isEqualTo(404);
        assertThat(real.json().path("error").path("message").asString())
                .isEqualTo(madeUp.json().path("error").path("message").asString());
        assertThat(real.json().path("error").path("code").asString()).isEqualTo("NOT_FOUND");
    }

    @Test
    void aFileOverTheLimitIsA413InTheErrorFormatAndAnEmptyFileIsRefused() {
        TestUser alice = world.user("alice");
        byte[] big = Arrays.copyOf(PDF, 25 * 1024 * 1024 + 1);

        Api.Response tooBig = uploads.upload(alice.token(), "files", List.of(part("big.pdf", "application/pdf", big)));
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.errorCode()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(tooBig.body().path("error").path("requestId").asString()).isNotBlank();

        Api.Response empty = uploads.upload(alice.token(), "files", List.of(part("empty.txt", "text/plain", new byte[0])));
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body().path("error").path("details").get(0).path("field").asString()).isEqualTo("files[0]");
    }

    @Test
    void filesCountTowardsTheStorageQuota() {
        TestUser alice = world.user("alice");
        uploads.upload(alice.token(), "files", List.of(part("a.pdf", "application/pdf", PDF)));

        Api.Response me = api.get("/api/users/me", alice.token());
        assertThat(me.body().path("storage").path("usedBytes").asLong()).isEqualTo(PDF.length);
    }
}
