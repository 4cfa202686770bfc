package app.confab.platform;

import java.time.Duration;
import java.util.List;

/** A failure with a known meaning for the client; rendered as the one error JSON (docs/ARCHITECTURE.md, "The request path"). */
public class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final List<FieldError> details;
    private final Duration retryAfter;

    public ApiException(ErrorCode code, String message) {
        this(code, message, List.of(), null);
    }

    public ApiException(ErrorCode code, String message, List<FieldError> details, Duration retryAfter) {
        super(message);
        this.code = code;
        this.details = details == null ? List.of() : List.copyOf(details);
        this.retryAfter = retryAfter;
    }

    public static ApiException validation(String field, String message) {
        return new ApiException(ErrorCode.VALIDATION_ERROR, "Invalid request parameters",
                List.of(new FieldError(field, message)), null);
    }

    public static ApiException validation(List<FieldError> details) {
        return new ApiException(ErrorCode.VALIDATION_ERROR, "Invalid request parameters", details, null);
    }

    public static ApiException notFound(String what) {
        return new ApiException(ErrorCode.NOT_FOUND, what + " not found");
    }

    public static ApiException forbidden(String message) {
        return new ApiException(ErrorCode.FORBIDDEN, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(ErrorCode.CONFLICT, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(ErrorCode.UNAUTHORIZED, message);
    }

    public static ApiException rateLimited(String message, Duration retryAfter) {
        return new ApiException(ErrorCode.RATE_LIMIT_EXCEEDED, message, List.of(), retryAfter);
    }

    public ErrorCode code() {
        return code;
    }

    public List<FieldError> details() {
        return details;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public record FieldError(String field, String message) {
    }
}
