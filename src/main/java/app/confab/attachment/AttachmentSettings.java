package app.confab.attachment;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits of image sharing, each fed by an environment variable in application.yml
 * (listed in docs/OPERATIONS.md).
 *
 * @param signedUrlTtl          how long a signed image link lives at most (it lives between half
 *                              this and this, so one image keeps one URL for half the period)
 * @param decodePixelsPerMinute decoded pixels one user may have the server decode per minute
 * @param storageQuotaBytes     bytes of stored files (originals and derived sizes) per user
 * @param maxFileMb             the largest file (image or other) the server accepts, in MB; the
 *                              administrator's maxUploadMb can only lower it. The multipart limit
 *                              (spring.servlet.multipart.max-file-size) is fed by the same variable.
 */
@ConfigurationProperties(prefix = "confab.attachments")
record AttachmentSettings(Duration signedUrlTtl, long decodePixelsPerMinute, long storageQuotaBytes, int maxFileMb) {

    AttachmentSettings {
        if (signedUrlTtl == null || signedUrlTtl.toSeconds() < 2) {
            signedUrlTtl = Duration.ofMinutes(10);
        }
        if (decodePixelsPerMinute <= 0) {
            decodePixelsPerMinute = 300_000_000L;
        }
        if (maxFileMb <= 0) {
            maxFileMb = 25;
        }
        if (storageQuotaBytes <= 0) {
            storageQuotaBytes = 1L << 30;
        }
    }
}
