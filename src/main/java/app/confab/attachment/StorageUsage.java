package app.confab.attachment;

import java.util.UUID;

/** How much of their storage quota a user's files take (shown in {@code GET /api/users/me}). */
public interface StorageUsage {

    Usage usage(UUID userId);

    record Usage(long usedBytes, long quotaBytes) {
    }
}
