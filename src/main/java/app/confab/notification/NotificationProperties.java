package app.confab.notification;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the notification channels (docs/OPERATIONS.md, "Notifications"), each fed by an
 * environment variable named in application.yml.
 *
 * @param smtpUrl                   {@code smtp://user:pass@host:port} (STARTTLS) or {@code smtps://…}; empty: no email
 * @param mailFrom                  the From address of digests
 * @param publicUrl                 the address users open Confab at, for links in emails
 * @param vapidPublicKey            base64url uncompressed P-256 point; empty with the private key: generated once and kept in the database
 * @param vapidPrivateKey           base64url P-256 private scalar
 * @param vapidSubject              the contact push services may use (mailto: or https:)
 * @param scanInterval              how often new messages are looked at for pushes
 * @param emailScanInterval         how often unread direct messages and mentions are looked at for digests
 * @param allowPrivatePushEndpoints accept push endpoints on private/loopback addresses and plain http (tests only)
 * @param pushRetryBase             the first retry delay after a 5xx or 429; doubles each time
 * @param pushMaxAttempts           attempts per notification and device
 */
@ConfigurationProperties(prefix = "confab.notifications")
public record NotificationProperties(String smtpUrl, String mailFrom, String publicUrl, String vapidPublicKey,
                                     String vapidPrivateKey, String vapidSubject, Duration scanInterval,
                                     Duration emailScanInterval, boolean allowPrivatePushEndpoints,
                                     Duration pushRetryBase, int pushMaxAttempts) {

    public NotificationProperties {
        mailFrom = blank(mailFrom) ? "confab@localhost" : mailFrom;
        publicUrl = blank(publicUrl) ? "http://localhost:8080" : publicUrl.replaceAll("/+$", "");
        vapidSubject = blank(vapidSubject) ? "mailto:" + mailFrom : vapidSubject;
        scanInterval = scanInterval == null ? Duration.ofSeconds(1) : scanInterval;
        emailScanInterval = emailScanInterval == null ? Duration.ofSeconds(30) : emailScanInterval;
        pushRetryBase = pushRetryBase == null ? Duration.ofSeconds(2) : pushRetryBase;
        pushMaxAttempts = pushMaxAttempts <= 0 ? 4 : pushMaxAttempts;
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
