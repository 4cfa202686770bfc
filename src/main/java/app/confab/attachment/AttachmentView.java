package app.confab.attachment;

import java.util.UUID;

/**
 * A shared file as a message carries it: what a client needs to show it. {@code kind} is "image"
 * (decoded, with width, height and the thumbnail and medium links) or "file" (any other type: those
 * three are null, and {@code url} downloads it). {@code contentType} is the same value as the older
 * {@code fileType}: the type found by decoding for an image, the safe type the download is served
 * with for a file (docs/subsystems/attachments.md).
 */
public record AttachmentView(UUID id, String kind, String fileName, String fileType, String contentType,
                             long sizeBytes, Integer width, Integer height,
                             String url, String thumbnailUrl, String mediumUrl) {

    public static final String IMAGE = "image";
    public static final String FILE = "file";
}
