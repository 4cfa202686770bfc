package app.confab.attachment;

import java.util.UUID;

import org.springframework.stereotype.Component;

import app.confab.platform.ApiException;
import app.confab.account.StorageUsage;
import app.confab.platform.ErrorCode;

/**
 * The one per-user storage quota: the administrator's {@code defaultStorageQuotaMb} when set, else
 * {@code STORAGE_QUOTA_BYTES} (1 GB by default). Every stored byte of a user's files that are not
 * deleted counts, original and derived sizes alike (what the disk or bucket really holds, and what
 * {@code GET /api/users/me} shows). An upload reads the user's usage once: a cheap refusal from the
 * upload's size before decoding, then the exact check with the derived sizes before storing.
 */
@Component
class StorageQuota implements StorageUsage {

    private final AttachmentRepository repository;
    private final AttachmentSettings settings;
    private final UploadLimits limits;

    StorageQuota(AttachmentRepository repository, AttachmentSettings settings, UploadLimits limits) {
        this.repository = repository;
        this.settings = settings;
        this.limits = limits;
    }

    /** The quota in force now (read per call, so an administrator's change applies at once). */
    long quotaBytes() {
        return limits.storageQuotaBytes().orElse(settings.storageQuotaBytes());
    }

    @Override
    public Usage usage(UUID userId) {
        return new Usage(repository.storedBytes(userId), quotaBytes());
    }

    /**
     * Reads the user's usage and refuses (413) when even {@code uploadBytes}, the upload as sent,
     * would not fit; the returned room then checks the stored total without reading usage again.
     * Callers hold the user's decode slot, so two uploads of one user do not race past the quota.
     */
    Room reserve(UUID userId, long uploadBytes) {
        Room room = new Room(repository.storedBytes(userId), quotaBytes());
        room.require(uploadBytes);
        return room;
    }

    /** The usage read at the start of one upload, against the quota then in force. */
    static final class Room {
        private final long used;
        private final long quota;

        private Room(long used, long quota) {
            this.used = used;
            this.quota = quota;
        }

        /** 413 when {@code moreBytes} would take the user over their quota. */
        void require(long moreBytes) {
            if (used + moreBytes > quota) {
                throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "Storage quota exceeded: "
                        + megabytes(used) + " MB of " + megabytes(quota)
                        + " MB used; delete messages with images to make room");
            }
        }
    }

    private static long megabytes(long bytes) {
        return (bytes + 1024 * 1024 - 1) / (1024 * 1024);
    }
}
