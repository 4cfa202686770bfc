package app.confab.attachment;

import java.util.UUID;

import org.springframework.stereotype.Component;

import app.confab.platform.ApiException;
import app.confab.account.StorageUsage;
import app.confab.platform.ErrorCode;

/**
 * The per-user storage quota ({@code STORAGE_QUOTA_BYTES}, 1 GB by default): every stored byte of a
 * user's files that are not deleted counts, original and derived sizes alike.
 */
@Component
class StorageQuota implements StorageUsage {

    private final AttachmentRepository repository;
    private final AttachmentSettings settings;

    StorageQuota(AttachmentRepository repository, AttachmentSettings settings) {
        this.repository = repository;
        this.settings = settings;
    }

    @Override
    public Usage usage(UUID userId) {
        return new Usage(repository.storedBytes(userId), settings.storageQuotaBytes());
    }

    /** 413 when {@code moreBytes} would take the user over their quota. */
    void requireRoom(UUID userId, long moreBytes) {
        long used = repository.storedBytes(userId);
        if (used + moreBytes > settings.storageQuotaBytes()) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "Storage quota exceeded: "
                    + megabytes(used) + " MB of " + megabytes(settings.storageQuotaBytes())
                    + " MB used; delete messages with images to make room");
        }
    }

    private static long megabytes(long bytes) {
        return (bytes + 1024 * 1024 - 1) / (1024 * 1024);
    }
}
