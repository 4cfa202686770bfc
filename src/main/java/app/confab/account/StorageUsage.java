package app.confab.account;

import java.util.UUID;

/** Port owned by accounts, implemented by attachments (so accounts do not depend on them): how much of their storage quota a user's files take (shown in {@code GET /api/users/me}). */
public interface StorageUsage {

    Usage usage(UUID userId);

    record Usage(long usedBytes, long quotaBytes) {
    }
}
