package app.confab.load;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.HdrHistogram.Histogram;

/**
 * Uploads a generated photo-like image of about --image-mb MB to {@code POST /api/attachments/upload}
 * (multipart field {@code images}) --uploads times, one after another, timing each from the first
 * byte sent to the response (which comes after the server decoded the image and made its thumbnail
 * and medium size).
 */
final class UploadScenario {

    private UploadScenario() {
    }

    static Report run(LoadContext context) {
        Options options = context.options().defaultTo("image-mb", 5).defaultTo("uploads", 10).defaultTo("image-format", "jpeg");
        double megabytes = options.number("image-mb", 5);
        String format = options.string("image-format", "jpeg");
        byte[] image = image(context.outDir(), format, (long) (megabytes * 1024 * 1024));
        System.out.printf("image: %s, %,d bytes%n", format, image.length);
        Population.User user = context.population().users(1).getFirst();
        ConfabApi.FilePart part = new ConfabApi.FilePart("load." + (format.equals("png") ? "png" : "jpg"),
                "image/" + format, image);
        // One untimed upload warms the server's image code paths (class loading, JIT).
        ConfabApi.Response warm = context.api().upload("/api/attachments/upload", user.accessToken(), "images", List.of(part));
        System.out.println("warm-up upload: " + warm);
        CpuMeter cpu = new CpuMeter(context.api(), options);
        CpuMeter.Snapshot cpuStart = cpu.snapshot();
        Histogram histogram = new Histogram(3);
        List<double[]> points = new ArrayList<>();
        int failures = 0;
        String firstFailure = null;
        int uploads = options.integer("uploads", 10);
        for (int i = 0; i < uploads; i++) {
            ConfabApi.Response response = context.api().upload("/api/attachments/upload", user.accessToken(), "images", List.of(part));
            boolean ok = response.ok() && response.body() != null
                    && response.body().path("attachments").path(0).path("id").isString();
            if (!ok) {
                failures++;
                firstFailure = firstFailure == null ? response.toString() : firstFailure;
                continue;
            }
            histogram.recordValue(Math.max(1, response.nanos() / 1000));
            points.add(new double[] {i + 1, response.nanos() / 1e6});
            System.out.printf("upload %d: %.0f ms%n", i + 1, response.nanos() / 1e6);
        }
        CpuMeter.Snapshot cpuEnd = cpu.snapshot();
        Report report = new Report("upload");
        report.put("Image", format + ", " + image.length + " bytes");
        report.put("Uploads", (long) uploads);
        report.put("Errors", (long) failures);
        if (firstFailure != null) {
            report.notes.add("first failure: " + firstFailure);
        }
        Report.Latency latency = Report.Latency.of(histogram);
        report.latencies.put("upload (request start → response with attachment)", latency);
        report.charts.add(new Report.Chart("Upload time per request", "upload", "ms",
                List.of(new Report.Line("upload", "#1c7ed6", points))));
        report.cpu = CpuMeter.between(cpuStart, cpuEnd);
        report.passed = failures == 0 && latency.max() < 1000;
        report.put("Goal", megabytes + " MB upload with thumbnails < 1 s: " + (report.passed ? "MET" : "NOT MET"));
        return report;
    }

    /**
     * A photo-like image (smooth gradients with grain) whose encoded size is near {@code target};
     * made once and kept in the output directory.
     */
    static byte[] image(Path outDir, String format, long target) {
        Path cached = outDir.resolve("upload-" + target + "." + format);
        try {
            if (Files.exists(cached)) {
                return Files.readAllBytes(cached);
            }
            byte[] bytes;
            if (format.equals("png")) {
                // Noise does not compress: width*height*3 ≈ target.
                int side = (int) Math.sqrt(target / 3.0);
                bytes = encode(picture(side, side, 255), "png", 0);
            } else {
                // A 12-megapixel photo, the usual phone camera size; grain sets the JPEG size.
                int grain = 24;
                bytes = encode(picture(4000, 3000, grain), "jpeg", 0.92f);
                for (int i = 0; i < 6 && Math.abs(bytes.length - target) > target / 10; i++) {
                    grain = (int) Math.max(1, Math.min(255, grain * Math.pow((double) target / bytes.length, 1.4)));
                    bytes = encode(picture(4000, 3000, grain), "jpeg", 0.92f);
                }
            }
            Files.createDirectories(outDir);
            Files.write(cached, bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage picture(int width, int height, int grain) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(3);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int noise = grain == 0 ? 0 : random.nextInt(grain) - grain / 2;
                int r = clamp(128 + (int) (100 * Math.sin(x / 300.0)) + noise);
                int g = clamp(128 + (int) (100 * Math.cos(y / 200.0)) + noise);
                int b = clamp((x + y) * 255 / (width + height) + noise);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }

    private static byte[] encode(BufferedImage image, String format, float quality) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality > 0) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
