package app.confab.admin;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import app.confab.attachment.UploadLimits;
import app.confab.platform.ApiException;
import app.confab.platform.ErrorCode;

/** The administrator's upload limit and per-user storage quota (defaultStorageQuotaMb), read per upload. */
@Component
class AdminUploadLimits implements UploadLimits {

    private final SettingsService settings;
    private final JdbcClient jdbc;

    AdminUploadLimits(SettingsService settings, JdbcClient jdbc) {
        this.settings = settings;
        this.jdbc = jdbc;
    }

    @Override
    public long maxFileBytes() {
        return settings.current().maxUploadMb() * 1024L * 1024L;
    }

    /** Counts the originals a user uploaded and still has (derived sizes are the server's overhead). */
    @Override
    public void checkQuota(UUID uploaderId, long incomingBytes) {
        Integer quotaMb = settings.current().defaultStorageQuotaMb();
        if (quotaMb == null) {
            return;
        }
        long used = jdbc.sql("SELECT COALESCE(sum(size_bytes), 0) FROM attachments WHERE uploader_id = :id AND deleted_at IS NULL")
                .param("id", uploaderId).query(Long.class).single();
        if (used + incomingBytes > quotaMb * 1024L * 1024L) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "Storage quota of " + quotaMb + " MB reached; delete some images or ask an administrator");
        }
    }
}
