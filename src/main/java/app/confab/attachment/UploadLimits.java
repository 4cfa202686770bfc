package app.confab.attachment;

/** The administrator's upload limit (maxUploadMb), read per upload so a change applies at once. */
public interface UploadLimits {

    long maxFileBytes();

    /** Refuses (an ApiException) when {@code incomingBytes} more would exceed the uploader's storage quota. */
    void checkQuota(java.util.UUID uploaderId, long incomingBytes);
}
