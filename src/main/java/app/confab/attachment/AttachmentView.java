package app.confab.attachment;

import java.util.UUID;

/** An image as a message carries it: what a client needs to show it. */
public record AttachmentView(UUID id, String fileName, String fileType, long sizeBytes, Integer width, Integer height,
                             String url, String thumbnailUrl, String mediumUrl) {
}
