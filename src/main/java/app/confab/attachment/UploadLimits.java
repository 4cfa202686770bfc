package app.confab.attachment;

/** The administrator's upload limit (maxUploadMb), read per upload so a change applies at once. */
public interface UploadLimits {

    long maxFileBytes();
}
