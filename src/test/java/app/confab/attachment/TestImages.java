package app.confab.attachment;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.tiff.IFD;
import com.twelvemonkeys.imageio.metadata.tiff.Rational;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFEntry;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFWriter;

/** Test images made on the spot with ImageIO writers (and two tiny WebP files, which no Java writer makes). */
public final class TestImages {

    static final Color RED = new Color(220, 20, 20);
    static final Color BLUE = new Color(20, 20, 220);
    static final String SECRET = "SECRET-LOCATION-51.5074N";

    /** 48x32 lossless WebP (cwebp -lossless): top half green, bottom half half-transparent blue. */
    static final byte[] WEBP_LOSSLESS = Base64.getDecoder().decode(
            "UklGRioAAABXRUJQVlA4TB4AAAAvL8AHEA9wCtqhOA73/wDDAwKBZH/pBQKI6H/OxwM=");
    /** 48x32 lossy WebP with EXIF ("SECRET-EXIF-LOCATION") and XMP ("SECRET-XMP") chunks added by webpmux. */
    static final byte[] WEBP_LOSSY_WITH_METADATA = Base64.getDecoder().decode(
            "UklGRugAAABXRUJQVlA4WAoAAAAMAAAALwAAHwAAVlA4IFAAAABwBACdASowACAAPm0skkWkIqGYBABABsSgDP2UF+AfiBqhXAPxVA"
                    + "RVmj9yAAD+8DfgqikbKqDtG4z7jP/l9+cf/8dTy0uWNFLcOLESGAAAAEVYSUYvAAAASUkqAAgAAAABAA4BAgAVAAAAGgAAAAAAAABTRU"
                    + "NSRVQtRVhJRi1MT0NBVElPTgAAWE1QIDoAAAA8eDp4bXBtZXRhIHhtbG5zOng9ImFkb2JlOm5zOm1ldGEvIj5TRUNSRVQtWE1QPC94On"
                    + "htcG1ldGE+");
    /** 48x32 animated WebP, two frames (img2webp). */
    static final byte[] WEBP_ANIMATED = Base64.getDecoder().decode(
            "UklGRqAAAABXRUJQVlA4WAoAAAASAAAALwAAHwAAQU5JTQYAAAD/////AABBTk1GNgAAAAAAAAAAAC8AAB8AAGQAAAJWUDhMHQAAAC8v"
                    + "wAcADzAUp0A+Dvf8RwvEgsn8pTPojuh/VDgHAEFOTUY2AAAAAAAAAAAALwAAHwAAZAAAAlZQOEweAAAALy/ABxAPcAraoTgO9/8AwwMC"
                    + "gWR/6QUCiOh/zscD");

    private TestImages() {
    }

    /** Left half red, right half blue: orientation shows in where the colours end up. */
    static BufferedImage halves(int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(RED);
        graphics.fillRect(0, 0, width / 2, height);
        graphics.setColor(BLUE);
        graphics.fillRect(width / 2, 0, width - width / 2, height);
        graphics.dispose();
        return image;
    }

    /** A photo-like image: noise compresses badly, as a real photo's detail does. */
    static BufferedImage noise(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int base = (x * 255 / width) << 16 | (y * 255 / height) << 8 | 128;
                row[x] = base ^ (random.nextInt() & 0x3F3F3F);
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    static byte[] jpeg(BufferedImage image, float quality) {
        return ImageProcessor.jpeg(image, quality);
    }

    public static byte[] jpeg(int width, int height) {
        return jpeg(halves(width, height, BufferedImage.TYPE_INT_RGB), 0.9f);
    }

    public static byte[] png(BufferedImage image) {
        return write(image, "png");
    }

    public static byte[] png(int width, int height) {
        return png(halves(width, height, BufferedImage.TYPE_INT_ARGB));
    }

    static byte[] gif(int width, int height) {
        return write(halves(width, height, BufferedImage.TYPE_INT_RGB), "gif");
    }

    private static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("No writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * An animated GIF: frame one red, frame two blue, looping, with a comment extension carrying
     * {@link #SECRET} (which must not survive the upload).
     */
    static byte[] animatedGif(int width, int height) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream output = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(output);
            writer.prepareWriteSequence(null);
            for (Color color : List.of(RED, BLUE)) {
                BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                Graphics2D graphics = frame.createGraphics();
                graphics.setColor(color);
                graphics.fillRect(0, 0, width, height);
                graphics.dispose();
                ImageWriteParam param = writer.getDefaultWriteParam();
                IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), param);
                String format = metadata.getNativeMetadataFormatName();
                IIOMetadataNode root = new IIOMetadataNode(format);
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", "20");
                control.setAttribute("transparentColorIndex", "0");
                root.appendChild(control);
                IIOMetadataNode comments = new IIOMetadataNode("CommentExtensions");
                IIOMetadataNode comment = new IIOMetadataNode("CommentExtension");
                comment.setAttribute("value", SECRET);
                comments.appendChild(comment);
                root.appendChild(comments);
                IIOMetadataNode applications = new IIOMetadataNode("ApplicationExtensions");
                IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
                loop.setAttribute("applicationID", "NETSCAPE");
                loop.setAttribute("authenticationCode", "2.0");
                loop.setUserObject(new byte[]{1, 0, 0});
                applications.appendChild(loop);
                root.appendChild(applications);
                metadata.mergeTree(format, root);
                writer.writeToSequence(new IIOImage(frame, null, metadata), param);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /**
     * A JPEG carrying an EXIF block with the given orientation, a camera model, and a GPS IFD whose
     * fields include {@link #SECRET}, inserted right after the start-of-image marker.
     */
    static byte[] jpegWithExif(BufferedImage image, int orientation) {
        return withExif(jpeg(image, 0.9f), orientation);
    }

    /** The JPEG with an EXIF block (orientation, camera model, GPS with {@link #SECRET}) inserted. */
    static byte[] withExif(byte[] jpeg, int orientation) {
        List<Entry> gps = new ArrayList<>();
        gps.add(new TIFFEntry(1, TIFF.TYPE_ASCII, "N"));
        gps.add(new TIFFEntry(2, TIFF.TYPE_RATIONAL, new Rational[]{new Rational(51), new Rational(30), new Rational(26)}));
        gps.add(new TIFFEntry(27, TIFF.TYPE_UNDEFINED, ("ASCII\0\0\0" + SECRET).getBytes(StandardCharsets.US_ASCII)));
        List<Entry> ifd0 = new ArrayList<>();
        ifd0.add(new TIFFEntry(TIFF.TAG_ORIENTATION, TIFF.TYPE_SHORT, orientation));
        ifd0.add(new TIFFEntry(TIFF.TAG_MODEL, TIFF.TYPE_ASCII, "Confab TestCam"));
        ifd0.add(new TIFFEntry(TIFF.TAG_GPS_IFD, TIFF.TYPE_LONG, new IFD(gps)));
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        try (ImageOutputStream output = new MemoryCacheImageOutputStream(tiff)) {
            new TIFFWriter().write(ifd0, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] exif = ByteBuffer.allocate(6 + tiff.size()).put("Exif\0\0".getBytes(StandardCharsets.US_ASCII))
                .put(tiff.toByteArray()).array();
        return insertSegment(jpeg, 0xE1, exif);
    }

    /** Inserts a JPEG marker segment right after SOI. */
    static byte[] insertSegment(byte[] jpeg, int marker, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 4 + payload.length);
        out.put(jpeg, 0, 2);
        out.put((byte) 0xFF).put((byte) marker).putShort((short) (payload.length + 2)).put(payload);
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    /** A small PNG whose header claims the given size: what a decompression bomb looks like before decoding. */
    static byte[] pngClaiming(int width, int height) {
        byte[] png = png(64, 64);
        ByteBuffer buffer = ByteBuffer.wrap(png);
        // IHDR data starts at 16: width, height; its CRC follows the 13 data bytes.
        buffer.putInt(16, width).putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        buffer.putInt(29, (int) crc.getValue());
        return png;
    }

    /** A small JPEG whose frame header claims the given size. */
    static byte[] jpegClaiming(int width, int height) {
        byte[] jpeg = jpeg(64, 64);
        for (int i = 2; i < jpeg.length - 9; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
                ByteBuffer.wrap(jpeg).putShort(i + 5, (short) height).putShort(i + 7, (short) width);
                return jpeg;
            }
        }
        throw new IllegalStateException("No SOF0 marker");
    }

    static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }

    static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(bytes));
            if (image == null) {
                throw new IllegalStateException("Not decodable");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isReddish(int rgb) {
        Color c = new Color(rgb);
        return c.getRed() > 150 && c.getBlue() < 100;
    }

    static boolean isBluish(int rgb) {
        Color c = new Color(rgb);
        return c.getBlue() > 150 && c.getRed() < 100;
    }
}
