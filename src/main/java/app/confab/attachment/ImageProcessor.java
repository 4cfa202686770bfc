package app.confab.attachment;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.springframework.stereotype.Component;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;

import net.coobird.thumbnailator.Thumbnails;

/**
 * Turns uploaded bytes into what we store: checks the file really is one of our formats by decoding
 * it, refuses decompression bombs from the header before decoding, strips metadata, applies the
 * EXIF orientation, and renders the medium size and the thumbnail.
 *
 * <p>Decoding is TwelveMonkeys ImageIO (JPEG incl. CMYK, WebP) and the JDK (PNG, GIF); resizing is
 * Thumbnailator. The original keeps its bytes (minus metadata) unless its orientation has to be
 * applied, which needs a re-encode.
 */
@Component
class ImageProcessor {

    static final int THUMBNAIL_BOX = 320;
    static final int MEDIUM_BOX = 1280;
    /** 50 megapixels: the largest phone sensors; decoded that is ~200 MB, so no more than that. */
    static final long MAX_PIXELS = 50_000_000L;
    static final int MAX_SIDE = 20_000;

    private static final float ORIGINAL_JPEG_QUALITY = 0.92f;
    private static final float DERIVED_JPEG_QUALITY = 0.82f;

    private static final Executor ENCODER = Executors.newVirtualThreadPerTaskExecutor();

    /** Decoded images are large; bounding concurrent decodes bounds the memory uploads can take. */
    private final Semaphore decodePermits = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()));

    ImageProcessor() {
        // In a packaged jar the ImageIO registry may have been filled before TwelveMonkeys was visible.
        ImageIO.setUseCache(false);
        ImageIO.scanForPlugins();
        for (ImageFormat format : ImageFormat.values()) {
            if (!ImageIO.getImageReadersByFormatName(readerName(format)).hasNext()) {
                throw new IllegalStateException("No ImageIO reader for " + format + " on the classpath");
            }
        }
    }

    record Rendition(byte[] bytes, String contentType, int width, int height) {
    }

    record ProcessedImage(ImageFormat format, Rendition original, Rendition medium, Rendition thumbnail) {
    }

    ProcessedImage process(byte[] bytes) throws ImageRejectedException {
        if (bytes.length == 0) {
            throw new ImageRejectedException("is empty");
        }
        ImageFormat format = ImageFormat.sniff(bytes)
                .orElseThrow(() -> new ImageRejectedException("is not a JPEG, PNG, GIF or WebP image"));
        MetadataStripper.Stripped stripped = MetadataStripper.strip(format, bytes);
        decodePermits.acquireUninterruptibly();
        try {
            BufferedImage decoded = decode(format, stripped.bytes());
            boolean alpha = decoded.getColorModel().hasAlpha();
            BufferedImage image = stripped.orientation() > 1 ? Orientations.apply(decoded, stripped.orientation()) : decoded;
            // Re-encoding a rotated photo is the slowest step; it overlaps with the derived sizes.
            CompletableFuture<byte[]> originalBytes = stripped.orientation() > 1
                    ? CompletableFuture.supplyAsync(() -> jpeg(image, ORIGINAL_JPEG_QUALITY), ENCODER)
                    : CompletableFuture.completedFuture(stripped.bytes());
            BufferedImage medium = fit(image, MEDIUM_BOX, alpha);
            BufferedImage thumbnail = fit(medium, THUMBNAIL_BOX, alpha);
            Rendition mediumRendition = encode(medium, alpha);
            Rendition thumbnailRendition = encode(thumbnail, alpha);
            Rendition original = new Rendition(originalBytes.join(), format.mimeType(), image.getWidth(), image.getHeight());
            return new ProcessedImage(format, original, mediumRendition, thumbnailRendition);
        } finally {
            decodePermits.release();
        }
    }

    /**
     * The pixel count the header announces (what decoding would cost), without decoding; 0 when the
     * bytes are not a readable image (processing refuses those with a clear message).
     */
    long announcedPixels(byte[] bytes) {
        var format = ImageFormat.sniff(bytes);
        if (format.isEmpty()) {
            return 0;
        }
        ImageReader reader = ImageIO.getImageReadersByFormatName(readerName(format.get())).next();
        try (ImageInputStream input = new ByteArrayImageInputStream(bytes)) {
            reader.setInput(input, true, true);
            return Math.max(0, (long) reader.getWidth(0) * reader.getHeight(0));
        } catch (IOException | RuntimeException e) {
            return 0;
        } finally {
            reader.dispose();
        }
    }

    /** Reads the size from the header first, and decodes (the first frame) only if it is acceptable. */
    private static BufferedImage decode(ImageFormat format, byte[] bytes) throws ImageRejectedException {
        ImageReader reader = ImageIO.getImageReadersByFormatName(readerName(format)).next();
        try (ImageInputStream input = new ByteArrayImageInputStream(bytes)) {
            reader.setInput(input, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw new ImageRejectedException("has no pixels");
            }
            if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
                throw new ImageRejectedException("is too large: " + width + "x" + height + " pixels; the limit is "
                        + MAX_PIXELS / 1_000_000 + " megapixels and " + MAX_SIDE + " pixels a side");
            }
            return reader.read(0);
        } catch (IOException | RuntimeException e) {
            throw new ImageRejectedException("could not be decoded as a " + format + " image: it is corrupt or truncated");
        } finally {
            reader.dispose();
        }
    }

    private static String readerName(ImageFormat format) {
        return format.name().toLowerCase(Locale.ROOT);
    }

    /** Side of the square avatar image the server keeps and serves. */
    static final int AVATAR_SIDE = 256;

    /**
     * An avatar: the same validation, metadata stripping and orientation as an attachment, then the
     * centre square, scaled down to {@link #AVATAR_SIDE}. Only this derived image is kept.
     */
    Rendition avatar(byte[] bytes) throws ImageRejectedException {
        if (bytes.length == 0) {
            throw new ImageRejectedException("is empty");
        }
        ImageFormat format = ImageFormat.sniff(bytes)
                .orElseThrow(() -> new ImageRejectedException("is not a JPEG, PNG, GIF or WebP image"));
        MetadataStripper.Stripped stripped = MetadataStripper.strip(format, bytes);
        decodePermits.acquireUninterruptibly();
        try {
            BufferedImage decoded = decode(format, stripped.bytes());
            boolean alpha = decoded.getColorModel().hasAlpha();
            BufferedImage image = stripped.orientation() > 1 ? Orientations.apply(decoded, stripped.orientation()) : decoded;
            int side = Math.min(image.getWidth(), image.getHeight());
            BufferedImage square = image.getSubimage((image.getWidth() - side) / 2, (image.getHeight() - side) / 2, side, side);
            return encode(fit(square, AVATAR_SIDE, alpha), alpha);
        } finally {
            decodePermits.release();
        }
    }

    /** Scales down to fit a square box; never scales up. */
    private static BufferedImage fit(BufferedImage source, int box, boolean alpha) {
        if (source.getWidth() <= box && source.getHeight() <= box) {
            return source;
        }
        try {
            return Thumbnails.of(source)
                    .size(box, box)
                    .imageType(alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB)
                    .asBufferedImage();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Derived sizes are JPEG, or PNG when the image has transparency. They carry no metadata. */
    private static Rendition encode(BufferedImage image, boolean alpha) {
        byte[] bytes = alpha ? png(image) : jpeg(image, DERIVED_JPEG_QUALITY);
        return new Rendition(bytes, alpha ? ImageFormat.PNG.mimeType() : ImageFormat.JPEG.mimeType(),
                image.getWidth(), image.getHeight());
    }

    /** Encodes as JPEG at the given quality (alpha flattened); tests make their fixtures with it too. */
    static byte[] jpeg(BufferedImage image, float quality) {
        BufferedImage rgb = opaqueRgb(image);
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream output = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(output);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static BufferedImage opaqueRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = rgb.createGraphics();
        try {
            graphics.drawImage(image, 0, 0, null);
        } finally {
            graphics.dispose();
        }
        return rgb;
    }
}
