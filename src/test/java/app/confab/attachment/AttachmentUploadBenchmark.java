package app.confab.attachment;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users.TestUser;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmark, not a test (its name keeps it out of {@code ./mvnw verify}): time to upload a ~5 MB
 * 4000x3000 photo over real HTTP and fetch its thumbnail and medium size through the signed URLs.
 * Run with:
 * {@code ./mvnw -o test -Dtest=AttachmentUploadBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * Results go to target/attachment-benchmark.txt (and the test's output file).
 */
class AttachmentUploadBenchmark extends IntegrationTest {

    private static final int WARMUP = 3;
    private static final int RUNS = 10;

    @Autowired
    private ImageProcessor processor;

    @Test
    void uploadAFiveMegabytePhotoAndFetchItsThumbnails() throws Exception {
        BufferedImage photo = TestImages.noise(4000, 3000, 42);
        byte[] upright = closestToFiveMegabytes(photo);
        byte[] rotated = TestImages.withExif(upright, 6);
        Uploads uploads = new Uploads(api.baseUrl());
        TestUser user = users.register("bench");

        StringBuilder report = new StringBuilder();
        report.append("machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, JDK ")
                .append(Runtime.version()).append(", max heap ").append(Runtime.getRuntime().maxMemory() / (1024 * 1024))
                .append(" MB\n");
        report.append(measure("upright JPEG (EXIF orientation 1: original kept byte for byte)", upright, uploads, user));
        report.append(measure("rotated JPEG (EXIF orientation 6: original re-encoded)", rotated, uploads, user));
        System.out.println(report);
        Files.writeString(Path.of("target", "attachment-benchmark.txt"), report.toString());
    }

    private String measure(String label, byte[] jpeg, Uploads uploads, TestUser user) throws Exception {
        List<Double> endToEnd = new ArrayList<>();
        List<Double> uploadOnly = new ArrayList<>();
        List<Double> processing = new ArrayList<>();
        for (int i = 0; i < WARMUP + RUNS; i++) {
            long start = System.nanoTime();
            processor.process(jpeg);
            double processMs = (System.nanoTime() - start) / 1e6;

            start = System.nanoTime();
            Api.Response response = uploads.upload(user.token(), List.of(Uploads.part("photo.jpg", "image/jpeg", jpeg)));
            double uploadMs = (System.nanoTime() - start) / 1e6;
            assertThat(response.status()).as(response.text()).isEqualTo(201);
            JsonNode attachment = response.body().path("attachments").get(0);
            assertThat(uploads.get(attachment.path("thumbnailUrl").asString(), null).status()).isEqualTo(200);
            assertThat(uploads.get(attachment.path("mediumUrl").asString(), null).status()).isEqualTo(200);
            double totalMs = (System.nanoTime() - start) / 1e6;
            if (i >= WARMUP) {
                processing.add(processMs);
                uploadOnly.add(uploadMs);
                endToEnd.add(totalMs);
            }
        }
        return "%s, %.2f MB, 4000x3000, %d runs after %d warm-up:%n  upload + thumbnail + medium: %s%n  upload alone: %s%n  processing alone (in-process): %s%n"
                .formatted(label, jpeg.length / 1e6, RUNS, WARMUP, stats(endToEnd), stats(uploadOnly), stats(processing));
    }

    private static byte[] closestToFiveMegabytes(BufferedImage photo) {
        byte[] best = null;
        for (float quality = 0.70f; quality <= 0.96f; quality += 0.02f) {
            byte[] candidate = TestImages.jpeg(photo, quality);
            if (best == null || Math.abs(candidate.length - 5_000_000) < Math.abs(best.length - 5_000_000)) {
                best = candidate;
            }
        }
        return best;
    }

    private static String stats(List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return "min %.0f ms, median %.0f ms, max %.0f ms".formatted(sorted.getFirst(), sorted.get(sorted.size() / 2), sorted.getLast());
    }
}
