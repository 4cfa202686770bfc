package app.confab.attachment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One uploaded image as stored: its original and the two derived sizes, each an immutable object. */
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

    Rendition rendition(Variant variant) {
        return switch (variant) {
            case ORIGINAL -> original;
            case MEDIUM -> medium;
            case THUMBNAIL -> thumbnail;
        };
    }

    List<String> objectKeys() {
        return List.of(original.key(), medium.key(), thumbnail.key());
    }

    boolean isAttached() {
        return messageId != null;
    }
}
