package app.confab.attachment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One uploaded file as stored, each part an immutable object: an image has its original and the two
 * derived sizes; any other file has only its original ({@code medium} and {@code thumbnail} null).
 */
record AttachmentRow(
        UUID id,
        UUID uploaderId,
        UUID messageId,
        UUID chatId,
        String fileName,
        Rendition original,
        Rendition medium,
        Rendition thumbnail,
        Instant createdAt) {

    record Rendition(String key, String contentType, long size, int width, int height) {
    }

    /** An image (decoded, with derived sizes) rather than a file kept as uploaded. */
    boolean isImage() {
        return medium != null;
    }

    /** The stored part, or null when a file has no such variant (a file's medium or thumbnail). */
    Rendition rendition(Variant variant) {
        return switch (variant) {
            case ORIGINAL -> original;
            case MEDIUM -> medium;
            case THUMBNAIL -> thumbnail;
        };
    }

    List<String> objectKeys() {
        return isImage() ? List.of(original.key(), medium.key(), thumbnail.key()) : List.of(original.key());
    }

    boolean isAttached() {
        return messageId != null;
    }
}
