package app.confab.platform;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces Tomcat's HTML error page for the errors Tomcat answers itself, before any filter or
 * servlet runs (a request target it cannot decode, an invalid header, an unknown HTTP version):
 * those get the same JSON error envelope as the API, with no server banner or stack trace.
 * Errors raised inside the application never reach here: Spring's /error dispatch answers them.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    private static final Logger log = LoggerFactory.getLogger(JsonErrorReportValve.class);

    public JsonErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        ErrorCode code = codeFor(status);
        String message = code == ErrorCode.INTERNAL_ERROR ? "Internal server error" : reason(status);
        String requestId = request.getAttribute(RequestIds.ATTRIBUTE) instanceof String id ? id : RequestIds.newId();
        log.info("Container refused a request: {} ({})", status, requestId);
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setHeader(RequestIds.HEADER, requestId);
            response.setHeader(SecurityHeaders.CONTENT_TYPE_OPTIONS, SecurityHeaders.NOSNIFF);
            Writer writer = response.getReporter();
            if (writer != null) {
                // Hand-written JSON: every value here is a fixed text or a sanitised request id.
                writer.write("{\"error\":{\"code\":\"" + code.name() + "\",\"message\":\"" + message
                        + "\",\"details\":[],\"timestamp\":\"" + Instant.now() + "\",\"requestId\":\"" + requestId + "\"}}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The connection is already broken; nothing more can be sent.
        }
    }

    static ErrorCode codeFor(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 409 -> ErrorCode.CONFLICT;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ErrorCode.RATE_LIMIT_EXCEEDED;
            case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
            // 505 (HTTP version) and 501 (unknown method) are the client's mistake, not the server's.
            case 501, 505 -> ErrorCode.VALIDATION_ERROR;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.VALIDATION_ERROR;
        };
    }

    private static String reason(int status) {
        org.springframework.http.HttpStatus known = org.springframework.http.HttpStatus.resolve(status);
        return known == null ? "Bad request" : known.getReasonPhrase();
    }
}
