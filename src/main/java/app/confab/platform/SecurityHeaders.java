package app.confab.platform;

/** Response headers every answer carries. */
public final class SecurityHeaders {

    public static final String CONTENT_TYPE_OPTIONS = "X-Content-Type-Options";
    public static final String NOSNIFF = "nosniff";

    private SecurityHeaders() {
    }
}
