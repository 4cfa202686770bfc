package app.confab.platform;

import java.util.UUID;

import org.slf4j.MDC;

import jakarta.servlet.http.HttpServletRequest;

/** Where the current request's id lives: a request attribute and the logging MDC. */
public final class RequestIds {

    public static final String ATTRIBUTE = "confab.requestId";
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";

    private RequestIds() {
    }

    public static String newId() {
        return "req-" + UUID.randomUUID();
    }

    public static String of(HttpServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        if (id != null) {
            return id.toString();
        }
        String fromMdc = MDC.get(MDC_KEY);
        return fromMdc != null ? fromMdc : newId();
    }
}
