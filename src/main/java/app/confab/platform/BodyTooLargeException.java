package app.confab.platform;

import java.io.IOException;

/** Raised while reading a request body that outgrows the configured limit. */
public class BodyTooLargeException extends IOException {
    public BodyTooLargeException(long limit) {
        super("Request body exceeds " + limit + " bytes");
    }
}
