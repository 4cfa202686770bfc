package app.confab.attachment;

import java.util.OptionalLong;

/**
 * The administrator's upload settings (maxUploadMb, defaultStorageQuotaMb), read per upload so a
 * change applies at once. The quota rule itself is {@link StorageQuota}'s; this only says what the
 * administrator set.
 */
public interface UploadLimits {

    long maxFileBytes();

    /** The administrator's per-user storage quota in bytes; empty when unset (STORAGE_QUOTA_BYTES applies). */
    OptionalLong storageQuotaBytes();
}
