package app.confab.attachment;

import java.awt.image.BufferedImage;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static app.confab.attachment.TestImages.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The image pipeline on its own: formats, refusals, orientation, metadata. */
class ImageProcessorTest {

    private final ImageProcessor processor = new ImageProcessor();

    @Test
    void largeJpegGetsMediumAndThumbnailThatFitTheirBoxes() throws Exception {
        ImageProcessor.ProcessedImage image = processor.process(jpeg(3000, 2000));

        assertThat(image.format()).isEqualTo(ImageFormat.JPEG);
        assertThat(image.original().width()).isEqualTo(3000);
        assertThat(image.original().height()).isEqualTo(2000);
        assertThat(image.medium().width()).isEqualTo(1280);
        assertThat(image.medium().height()).isEqualTo(853);
        assertThat(image.thumbnail().width()).isEqualTo(320);
        assertThat(image.thumbnail().height()).isEqualTo(213);
        assertThat(image.thumbnail().contentType()).isEqualTo("image/jpeg");
        BufferedImage thumbnail = decode(image.thumbnail().bytes());
        assertThat(thumbnail.getWidth()).isEqualTo(320);
        assertThat(isReddish(thumbnail.getRGB(40, 100))).isTrue();
        assertThat(isBluish(thumbnail.getRGB(280, 100))).isTrue();
    }

    @Test
    void smallImagesAreNeverScaledUp() throws Exception {
        ImageProcessor.ProcessedImage image = processor.process(png(100, 60));

        assertThat(image.format()).isEqualTo(ImageFormat.PNG);
        assertThat(image.medium().width()).isEqualTo(100);
        assertThat(image.thumbnail().height()).isEqualTo(60);
        // The PNG has an alpha channel, so its derived sizes stay PNG.
        assertThat(image.thumbnail().contentType()).isEqualTo("image/png");
    }

    @Test
    void gifAndWebpAreAccepted() throws Exception {
        assertThat(processor.process(gif(400, 300)).format()).isEqualTo(ImageFormat.GIF);
        ImageProcessor.ProcessedImage lossless = processor.process(WEBP_LOSSLESS);
        assertThat(lossless.format()).isEqualTo(ImageFormat.WEBP);
        assertThat(lossless.original().width()).isEqualTo(48);
        assertThat(lossless.original().height()).isEqualTo(32);
        assertThat(processor.process(WEBP_ANIMATED).original().width()).isEqualTo(48);
    }

    @Test
    void animatedGifStaysAnimatedButItsThumbnailIsAStillFrame() throws Exception {
        byte[] animated = animatedGif(400, 200);

        ImageProcessor.ProcessedImage image = processor.process(animated);

        assertThat(TestImages.contains(image.original().bytes(), "NETSCAPE2.0")).isTrue();
        assertThat(frameCount(image.original().bytes())).isEqualTo(2);
        assertThat(image.thumbnail().contentType()).isEqualTo("image/jpeg");
        BufferedImage thumbnail = decode(image.thumbnail().bytes());
        assertThat(isReddish(thumbnail.getRGB(10, 10))).isTrue();
    }

    @Test
    void exifOrientationIsAppliedToEverySize() throws Exception {
        // Orientation 6: stored landscape, shown rotated 90° clockwise, so the left (red) half ends up on top.
        byte[] photo = jpegWithExif(halves(400, 200, BufferedImage.TYPE_INT_RGB), 6);

        ImageProcessor.ProcessedImage image = processor.process(photo);

        assertThat(image.original().width()).isEqualTo(200);
        assertThat(image.original().height()).isEqualTo(400);
        BufferedImage original = decode(image.original().bytes());
        assertThat(original.getWidth()).isEqualTo(200);
        assertThat(isReddish(original.getRGB(100, 50))).isTrue();
        assertThat(isBluish(original.getRGB(100, 350))).isTrue();
        BufferedImage thumbnail = decode(image.thumbnail().bytes());
        assertThat(thumbnail.getHeight()).isGreaterThan(thumbnail.getWidth());
        assertThat(isReddish(thumbnail.getRGB(thumbnail.getWidth() / 2, 20))).isTrue();
    }

    @Test
    void metadataIsStrippedFromEveryFormat() throws Exception {
        byte[] photo = jpegWithExif(halves(300, 200, BufferedImage.TYPE_INT_RGB), 1);
        assertThat(TestImages.contains(photo, SECRET)).isTrue();

        ImageProcessor.ProcessedImage jpeg = processor.process(photo);
        for (byte[] bytes : new byte[][]{jpeg.original().bytes(), jpeg.medium().bytes(), jpeg.thumbnail().bytes()}) {
            assertThat(TestImages.contains(bytes, SECRET)).isFalse();
            assertThat(TestImages.contains(bytes, "Exif")).isFalse();
            assertThat(TestImages.contains(bytes, "TestCam")).isFalse();
        }
        // Orientation 1 needs no re-encode: the compressed image data is kept byte for byte.
        assertThat(jpeg.original().bytes().length).isLessThan(photo.length);

        ImageProcessor.ProcessedImage gif = processor.process(animatedGif(40, 20));
        assertThat(TestImages.contains(gif.original().bytes(), SECRET)).isFalse();

        ImageProcessor.ProcessedImage webp = processor.process(WEBP_LOSSY_WITH_METADATA);
        assertThat(TestImages.contains(webp.original().bytes(), "SECRET")).isFalse();
        assertThat(decode(webp.original().bytes()).getWidth()).isEqualTo(48);
    }

    @Test
    void pngTextChunksAreStripped() throws Exception {
        byte[] png = png(50, 50);
        byte[] withText = insertPngChunk(png, "tEXt", ("Comment\0" + SECRET).getBytes());
        assertThat(TestImages.contains(withText, SECRET)).isTrue();

        ImageProcessor.ProcessedImage image = processor.process(withText);

        assertThat(TestImages.contains(image.original().bytes(), SECRET)).isFalse();
        assertThat(decode(image.original().bytes()).getWidth()).isEqualTo(50);
    }

    @Test
    void progressiveJpegKeepsEveryScan() throws Exception {
        BufferedImage source = halves(300, 200, BufferedImage.TYPE_INT_RGB);
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (var output = new javax.imageio.stream.MemoryCacheImageOutputStream(out)) {
            writer.setOutput(output);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new javax.imageio.IIOImage(source, null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] progressive = withExif(out.toByteArray(), 1);

        ImageProcessor.ProcessedImage image = processor.process(progressive);

        BufferedImage original = decode(image.original().bytes());
        BufferedImage expected = decode(out.toByteArray());
        for (int[] point : new int[][]{{10, 10}, {150, 100}, {290, 190}}) {
            assertThat(original.getRGB(point[0], point[1])).isEqualTo(expected.getRGB(point[0], point[1]));
        }
        assertThat(TestImages.contains(image.original().bytes(), SECRET)).isFalse();
    }

    @Test
    void aTextFileNamedPngIsRefused() {
        assertThatThrownBy(() -> processor.process("<html><script>alert(1)</script></html>".getBytes()))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessageContaining("not a JPEG, PNG, GIF or WebP");
    }

    @Test
    void truncatedFilesAreRefused() {
        byte[] jpeg = jpeg(300, 200);
        byte[] png = png(300, 200);
        byte[] gif = gif(300, 200);
        for (byte[] whole : new byte[][]{jpeg, png, gif, WEBP_LOSSLESS}) {
            byte[] truncated = Arrays.copyOf(whole, whole.length * 2 / 3);
            assertThatThrownBy(() -> processor.process(truncated))
                    .isInstanceOf(ImageRejectedException.class)
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void corruptDataIsRefused() {
        byte[] png = png(300, 200);
        // Keep the structure, scramble the compressed pixels.
        for (int i = 60; i < png.length - 20; i++) {
            png[i] = (byte) (png[i] * 31 + 7);
        }
        assertThatThrownBy(() -> processor.process(png)).isInstanceOf(ImageRejectedException.class);
    }

    @Test
    void decompressionBombsAreRefusedFromTheHeader() {
        assertThatThrownBy(() -> processor.process(pngClaiming(30_000, 30_000)))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> processor.process(pngClaiming(10_000, 6_000)))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> processor.process(jpegClaiming(65_000, 65_000)))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessageContaining("too large");
    }

    @Test
    void emptyFileIsRefused() {
        assertThatThrownBy(() -> processor.process(new byte[0]))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessageContaining("empty");
    }

    private static int frameCount(byte[] gif) throws Exception {
        var reader = javax.imageio.ImageIO.getImageReadersByFormatName("gif").next();
        try (var input = javax.imageio.ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(gif))) {
            reader.setInput(input);
            return reader.getNumImages(true);
        } finally {
            reader.dispose();
        }
    }

    private static byte[] insertPngChunk(byte[] png, String type, byte[] data) {
        // After the signature (8) and IHDR (25 bytes).
        int at = 8 + 25;
        java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(12 + data.length);
        chunk.putInt(data.length).put(type.getBytes()).put(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(chunk.array(), 4, 4 + data.length);
        chunk.putInt((int) crc.getValue());
        byte[] out = new byte[png.length + chunk.capacity()];
        System.arraycopy(png, 0, out, 0, at);
        System.arraycopy(chunk.array(), 0, out, at, chunk.capacity());
        System.arraycopy(png, at, out, at + chunk.capacity(), png.length - at);
        return out;
    }
}
