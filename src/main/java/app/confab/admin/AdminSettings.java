package app.confab.admin;

/**
 * The deployment settings an administrator changes at run time (kept in {@code app_settings}).
 * {@code messageRetentionDays} null means "no limit"; {@code defaultStorageQuotaMb} null means the
 * deployment's {@code STORAGE_QUOTA_BYTES} applies;
 * {@code allowedUsernamePattern} null means any username the registration rule allows.
 */
public record AdminSettings(
        String registration,
        String allowedUsernamePattern,
        Integer messageRetentionDays,
        int maxUploadMb,
        Integer defaultStorageQuotaMb,
        int auditRetentionDays) {

    public static final AdminSettings DEFAULTS = new AdminSettings("open", null, null, 25, null, 365);
}
