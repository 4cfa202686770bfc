package app.confab.attachment;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;

/**
 * Removes every piece of metadata from an image file without touching its pixels, by walking the
 * file's container structure (JPEG segments, PNG chunks, GIF blocks, WebP RIFF chunks) and keeping
 * only what a decoder needs to draw it. It is an allow-list: anything not known to be needed —
 * EXIF (with GPS), XMP, IPTC, comments, embedded thumbnails, maker notes, trailing data — is dropped.
 * The compressed image data is copied byte for byte, so photos lose no quality and animations stay
 * animated. The walk also notices truncated files (no end marker), which decoders often accept
 * silently with grey fill.
 *
 * <p>This is a container filter, not a codec: decoding stays with ImageIO and TwelveMonkeys.
 */
final class MetadataStripper {

    /** The stripped file, and the EXIF orientation it carried (1 = as stored), for the caller to apply. */
    record Stripped(byte[] bytes, int orientation) {
    }

    private static final Set<String> PNG_KEPT_CHUNKS = Set.of(
            "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "cHRM", "gAMA", "iCCP", "sBIT", "sRGB", "cICP", "mDCv", "cLLi",
            "bKGD", "acTL", "fcTL", "fdAT");
    private static final Set<String> WEBP_KEPT_CHUNKS = Set.of("VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP");
    private static final int WEBP_FLAG_EXIF = 0x08;
    private static final int WEBP_FLAG_XMP = 0x04;

    private MetadataStripper() {
    }

    static Stripped strip(ImageFormat format, byte[] bytes) throws ImageRejectedException {
        try {
            return switch (format) {
                case JPEG -> jpeg(bytes);
                case PNG -> new Stripped(png(bytes), 1);
                case GIF -> new Stripped(gif(bytes), 1);
                case WEBP -> new Stripped(webp(bytes), 1);
            };
        } catch (ArrayIndexOutOfBoundsException e) {
            throw truncated();
        }
    }

    // JPEG: a sequence of marker segments; after each start-of-scan, entropy-coded data runs up to the
    // next marker that is not a restart marker or a stuffed 0xFF00.
    private static Stripped jpeg(byte[] in) throws ImageRejectedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        out.write(0xFF);
        out.write(0xD8);
        int orientation = 1;
        boolean sawExif = false;
        int pos = 2;
        while (true) {
            if (pos >= in.length) {
                throw truncated();
            }
            if (u8(in, pos) != 0xFF) {
                throw malformed();
            }
            while (u8(in, pos + 1) == 0xFF) {
                pos++;
            }
            int marker = u8(in, pos + 1);
            pos += 2;
            if (marker == 0xD9) {
                out.write(0xFF);
                out.write(0xD9);
                return new Stripped(out.toByteArray(), orientation);
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                out.write(0xFF);
                out.write(marker);
                continue;
            }
            if (marker == 0xD8 || marker == 0x00) {
                throw malformed();
            }
            int length = u16(in, pos);
            if (length < 2) {
                throw malformed();
            }
            if (pos + length > in.length) {
                throw truncated();
            }
            boolean keep = true;
            if (marker >= 0xE0 && marker <= 0xEF) {
                keep = (marker == 0xE2 && hasPrefix(in, pos + 2, length - 2, "ICC_PROFILE\0"))
                        || (marker == 0xEE && hasPrefix(in, pos + 2, length - 2, "Adobe"));
                if (marker == 0xE1 && !sawExif && hasPrefix(in, pos + 2, length - 2, "Exif\0\0")) {
                    sawExif = true;
                    orientation = exifOrientation(Arrays.copyOfRange(in, pos + 8, pos + length));
                }
            } else if (marker == 0xFE) {
                keep = false;
            }
            if (keep) {
                out.write(0xFF);
                out.write(marker);
                out.write(in, pos, length);
            }
            pos += length;
            if (marker == 0xDA) {
                int start = pos;
                while (true) {
                    if (pos + 1 >= in.length) {
                        throw truncated();
                    }
                    if (u8(in, pos) == 0xFF) {
                        int next = u8(in, pos + 1);
                        if (next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                            break;
                        }
                    }
                    pos++;
                }
                out.write(in, start, pos - start);
            }
        }
    }

    /** The EXIF Orientation tag (1-8) of a TIFF structure; 1 when absent or unreadable. */
    static int exifOrientation(byte[] tiff) {
        try (ImageInputStream stream = ImageIO.createImageInputStream(new ByteArrayInputStream(tiff))) {
            Directory directory = new TIFFReader().read(stream);
            Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
            if (entry != null && entry.getValue() instanceof Number number) {
                int value = number.intValue();
                return value >= 1 && value <= 8 ? value : 1;
            }
        } catch (IOException | RuntimeException e) {
            // Unreadable EXIF is dropped like any other; the image is shown as stored.
        }
        return 1;
    }

    // PNG: signature, then length-prefixed chunks up to IEND.
    private static byte[] png(byte[] in) throws ImageRejectedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        out.write(in, 0, 8);
        int pos = 8;
        while (true) {
            if (pos + 8 > in.length) {
                throw truncated();
            }
            long length = u32(in, pos);
            if (length > Integer.MAX_VALUE - 12) {
                throw malformed();
            }
            String type = new String(in, pos + 4, 4, StandardCharsets.ISO_8859_1);
            long end = pos + 12 + length;
            if (end > in.length) {
                throw truncated();
            }
            if (PNG_KEPT_CHUNKS.contains(type)) {
                out.write(in, pos, (int) (end - pos));
            }
            pos = (int) end;
            if (type.equals("IEND")) {
                return out.toByteArray();
            }
        }
    }

    // GIF: header, screen descriptor and global palette, then extension and image blocks up to the trailer.
    private static byte[] gif(byte[] in) throws ImageRejectedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        int pos = 13;
        if (pos > in.length) {
            throw truncated();
        }
        int screenFlags = u8(in, 10);
        if ((screenFlags & 0x80) != 0) {
            pos += 3 * (1 << ((screenFlags & 0x07) + 1));
        }
        if (pos > in.length) {
            throw truncated();
        }
        out.write(in, 0, pos);
        while (true) {
            if (pos >= in.length) {
                throw truncated();
            }
            int introducer = u8(in, pos);
            if (introducer == 0x3B) {
                out.write(0x3B);
                return out.toByteArray();
            }
            int start = pos;
            boolean keep;
            if (introducer == 0x21) {
                int label = u8(in, pos + 1);
                keep = label == 0xF9 || (label == 0xFF && isAnimationExtension(in, pos + 2));
                pos = skipSubBlocks(in, pos + 2);
            } else if (introducer == 0x2C) {
                int imageFlags = u8(in, pos + 9);
                pos += 10;
                if ((imageFlags & 0x80) != 0) {
                    pos += 3 * (1 << ((imageFlags & 0x07) + 1));
                }
                pos = skipSubBlocks(in, pos + 1);
                keep = true;
            } else {
                throw malformed();
            }
            if (keep) {
                out.write(in, start, pos - start);
            }
        }
    }

    /** NETSCAPE2.0 / ANIMEXTS1.0 carry the loop count; every other application extension is metadata. */
    private static boolean isAnimationExtension(byte[] in, int pos) {
        return u8(in, pos) == 11 && (hasPrefix(in, pos + 1, 11, "NETSCAPE2.0") || hasPrefix(in, pos + 1, 11, "ANIMEXTS1.0"));
    }

    private static int skipSubBlocks(byte[] in, int pos) throws ImageRejectedException {
        while (true) {
            if (pos >= in.length) {
                throw truncated();
            }
            int size = u8(in, pos);
            pos += 1 + size;
            if (size == 0) {
                return pos;
            }
        }
    }

    // WebP: a RIFF container of chunks; VP8X's flags announce EXIF and XMP chunks, so those bits go too.
    private static byte[] webp(byte[] in) throws ImageRejectedException {
        long riffEnd = 8 + u32le(in, 4);
        if (riffEnd > in.length) {
            throw truncated();
        }
        ByteArrayOutputStream chunks = new ByteArrayOutputStream(in.length);
        int pos = 12;
        while (pos < riffEnd) {
            if (pos + 8 > riffEnd) {
                throw truncated();
            }
            String type = new String(in, pos, 4, StandardCharsets.ISO_8859_1);
            long size = u32le(in, pos + 4);
            long end = pos + 8 + size + (size & 1);
            if (end > riffEnd) {
                throw truncated();
            }
            if (WEBP_KEPT_CHUNKS.contains(type)) {
                byte[] chunk = Arrays.copyOfRange(in, pos, (int) end);
                if (type.equals("VP8X") && size >= 1) {
                    chunk[8] &= (byte) ~(WEBP_FLAG_EXIF | WEBP_FLAG_XMP);
                }
                chunks.write(chunk, 0, chunk.length);
            }
            pos = (int) end;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(chunks.size() + 12);
        int riffSize = chunks.size() + 4;
        out.write(in, 0, 4);
        out.write(riffSize & 0xFF);
        out.write((riffSize >>> 8) & 0xFF);
        out.write((riffSize >>> 16) & 0xFF);
        out.write((riffSize >>> 24) & 0xFF);
        out.write(in, 8, 4);
        out.writeBytes(chunks.toByteArray());
        return out.toByteArray();
    }

    private static boolean hasPrefix(byte[] in, int pos, int available, String prefix) {
        if (available < prefix.length() || pos + prefix.length() > in.length) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (in[pos + i] != (byte) prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int u8(byte[] in, int pos) {
        return in[pos] & 0xFF;
    }

    private static int u16(byte[] in, int pos) {
        return (u8(in, pos) << 8) | u8(in, pos + 1);
    }

    private static long u32(byte[] in, int pos) {
        return ((long) u16(in, pos) << 16) | u16(in, pos + 2);
    }

    private static long u32le(byte[] in, int pos) {
        return u8(in, pos) | (u8(in, pos + 1) << 8) | (u8(in, pos + 2) << 16) | ((long) u8(in, pos + 3) << 24);
    }

    private static ImageRejectedException truncated() {
        return new ImageRejectedException("is truncated or incomplete");
    }

    private static ImageRejectedException malformed() {
        return new ImageRejectedException("is corrupt: its structure is not a valid image file");
    }
}
