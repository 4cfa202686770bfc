package app.confab.platform;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Errors the servlet container handles itself (a failure inside a filter, a request Tomcat rejects)
 * land here; they get the same JSON as everything else.
 */
@Hidden
@RestController
public class FallbackErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(FallbackErrorController.class);

    @RequestMapping("/error")
    ResponseEntity<ErrorResponse> error(HttpServletRequest request) {
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = statusAttribute instanceof Integer value ? value : 500;
        ErrorCode code = switch (status) {
            case 400 -> ErrorCode.VALIDATION_ERROR;
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 409 -> ErrorCode.CONFLICT;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ErrorCode.RATE_LIMIT_EXCEEDED;
            case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.VALIDATION_ERROR;
        };
        // The request filter's logging context is gone by the time the container dispatches here.
        String requestId = RequestIds.of(request);
        MDC.put(RequestIds.MDC_KEY, requestId);
        try {
            log.warn("{} {} -> {} (container error dispatch)", request.getMethod(),
                    request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), status);
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
        String message = code == ErrorCode.INTERNAL_ERROR ? "Internal server error"
                : HttpStatus.valueOf(code.status().value()).getReasonPhrase();
        return ResponseEntity.status(code.status())
                .body(ErrorResponse.of(code, message, List.of(), requestId));
    }
}
