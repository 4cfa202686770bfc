package app.confab.platform;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code {"error":{"code","message","details","timestamp","requestId"}}} — docs/ARCHITECTURE.md, "The request path". */
public record ErrorResponse(Body error) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Body(String code, String message, List<ApiException.FieldError> details, Instant timestamp,
                       String requestId) {
    }

    public static ErrorResponse of(ErrorCode code, String message, List<ApiException.FieldError> details,
                                   String requestId) {
        return new ErrorResponse(new Body(code.name(), message, details == null ? List.of() : details,
                Instant.now(), requestId));
    }
}
