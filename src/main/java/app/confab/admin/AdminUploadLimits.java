package app.confab.admin;

import java.util.OptionalLong;

import org.springframework.stereotype.Component;

import app.confab.attachment.UploadLimits;

/**
 * The administrator's upload limit and per-user storage quota (defaultStorageQuotaMb), read per
 * upload; attachment.StorageQuota enforces the quota (falling back to STORAGE_QUOTA_BYTES).
 */
@Component
class AdminUploadLimits implements UploadLimits {

    private final SettingsService settings;

    AdminUploadLimits(SettingsService settings) {
        this.settings = settings;
    }

    @Override
    public long maxFileBytes() {
        return settings.current().maxUploadMb() * 1024L * 1024L;
    }

    @Override
    public OptionalLong storageQuotaBytes() {
        Integer quotaMb = settings.current().defaultStorageQuotaMb();
        return quotaMb == null ? OptionalLong.empty() : OptionalLong.of(quotaMb * 1024L * 1024L);
    }
}
