package app.confab.protocol;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import app.confab.platform.ApiException;
import app.confab.platform.ErrorCode;

/** The payloads of the frames that are not events: {@code ready}, {@code resync} and {@code error}. */
public final class Control {

    private Control() {
    }

    /** {@code cursor}: the stream position the catch-up ran up to. */
    public record ReadyData(UUID userId, String cursor) {
    }

    /**
     * The client's cursor is older than the retained stream (docs/PROTOCOL.md, "resync"): it reloads
     * its state over REST and goes on from {@code cursor}, the stream position that state is as of.
     */
    public record ResyncData(String cursor) {
    }

    /**
     * {@code code} is one of the REST error codes; {@code details} names bad fields when there are any;
     * {@code retryAfterMs} (RATE_LIMIT_EXCEEDED only) is when the request's budget has room again.
     */
    public record ErrorBody(ErrorCode code, String message,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ApiException.FieldError> details,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Long retryAfterMs) {

        public ErrorBody(ErrorCode code, String message, List<ApiException.FieldError> details) {
            this(code, message, details, null);
        }
    }
}
