package app.confab.admin;

/**
 * The deployment settings an administrator changes at run time (kept in {@code app_settings}).
 * {@code messageRetentionDays} null means "no limit"; {@code defaultStorageQuotaMb} null means the
 * deployment's {@code STORAGE_QUOTA_BYTES} applies;
 * {@code allowedUsernamePattern} null means any username the registration rule allows.
 * {@code linkPreviews}: the server fetches Open Graph previews of links in messages (off by default).
 */
public record AdminSettings(
        String registration,
        String allowedUsernamePattern,
        Integer messageRetentionDays,
        int maxUploadMb,
        Integer defaultStorageQuotaMb,
        int auditRetentionDays,
        boolean linkPreviews) {

    public static final AdminSettings DEFAULTS = new AdminSettings("open", null, null, 25, null, 365, false);

    public AdminSettings(String registration, String allowedUsernamePattern, Integer messageRetentionDays,
                         int maxUploadMb, Integer defaultStorageQuotaMb, int auditRetentionDays) {
        this(registration, allowedUsernamePattern, messageRetentionDays, maxUploadMb, defaultStorageQuotaMb,
                auditRetentionDays, false);
    }
}
