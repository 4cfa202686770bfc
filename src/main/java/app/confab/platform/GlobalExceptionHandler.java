package app.confab.platform;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.BindException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.DatabindException;
import tools.jackson.core.JacksonException;

/** Turns every failure of a request into the one error format (docs/ARCHITECTURE.md, "The request path"). */
@RestControllerAdvice
public class GlobalExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GlobalExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ErrorResponse> api(ApiException e, HttpServletRequest request) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(e.code().status());
        if (e.retryAfter() != null) {
            builder.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        }
        if (e.code().status().is5xxServerError()) {
            log.error("{}: {}", e.code(), e.getMessage(), e);
        } else {
            log.info("{} {} -> {} {}", request.getMethod(), request.getRequestURI(), e.code(), e.getMessage());
        }
        return builder.body(ErrorResponse.of(e.code(), e.getMessage(), e.details(), RequestIds.of(request)));
    }

    @ExceptionHandler(BindException.class)
    ResponseEntity<ErrorResponse> invalidBody(BindException e, HttpServletRequest request) {
        List<ApiException.FieldError> details = new ArrayList<>();
        e.getBindingResult().getFieldErrors().forEach(error ->
                details.add(new ApiException.FieldError(error.getField(), error.getDefaultMessage())));
        e.getBindingResult().getGlobalErrors().forEach(error ->
                details.add(new ApiException.FieldError(error.getObjectName(), error.getDefaultMessage())));
        return api(ApiException.validation(details), request);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ErrorResponse> invalidParameters(HandlerMethodValidationException e, HttpServletRequest request) {
        List<ApiException.FieldError> details = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error ->
                details.add(new ApiException.FieldError(result.getMethodParameter().getParameterName(),
                        error.getDefaultMessage()))));
        return api(ApiException.validation(details), request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorResponse> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        Throwable cause = e.getCause();
        // The limit may trip inside the JSON parser, which wraps the IOException in its own.
        for (Throwable inner = cause; inner != null; inner = inner.getCause()) {
            if (inner instanceof BodyTooLargeException tooLarge) {
                return api(new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, tooLarge.getMessage()), request);
            }
        }
        if (cause instanceof MismatchedInputException mismatch) {
            if (mismatch.getPath().isEmpty()) {
                return api(ApiException.validation("body", "Request body must be a JSON object"), request);
            }
            return api(ApiException.validation(fieldPath(mismatch), expectation(mismatch)), request);
        }
        if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
            return api(ApiException.validation(fieldPath(databind), "Is not valid"), request);
        }
        String message = cause instanceof JacksonException ? "Malformed JSON in request body" : "Request body is missing or unreadable";
        return api(new ApiException(ErrorCode.VALIDATION_ERROR, message), request);
    }

    /** What the field should have been, in words a client developer can act on. */
    private static String expectation(MismatchedInputException e) {
        Class<?> type = e.getTargetType();
        if (type == null) {
            return "Has the wrong type";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "Must be a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class && type != char.class)) {
            return "Must be a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "Must be true or false";
        }
        if (type == java.util.UUID.class) {
            return "Must be a UUID";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "Must be an ISO-8601 timestamp";
        }
        if (type.isEnum()) {
            return "Is not one of the allowed values";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "Must be an array";
        }
        return e instanceof InvalidFormatException ? "Has the wrong format" : "Must be an object";
    }

    private static String fieldPath(DatabindException e) {
        StringBuilder path = new StringBuilder();
        e.getPath().forEach(reference -> {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        });
        return path.isEmpty() ? "body" : path.toString();
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ErrorResponse> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return api(ApiException.validation(e.getName(), "Has the wrong format"), request);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ErrorResponse> missingParameter(MissingServletRequestParameterException e, HttpServletRequest request) {
        return api(ApiException.validation(e.getParameterName(), "Is required"), request);
    }

    @ExceptionHandler(MissingServletRequestPartException.class)
    ResponseEntity<ErrorResponse> missingPart(MissingServletRequestPartException e, HttpServletRequest request) {
        return api(ApiException.validation(e.getRequestPartName(), "Is required"), request);
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ErrorResponse> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        return api(ApiException.validation(e.getHeaderName(), "Header is required"), request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ErrorResponse> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return api(new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "Content type " + e.getContentType() + " is not supported here; send application/json"), request);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ErrorResponse> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return api(new ApiException(ErrorCode.VALIDATION_ERROR, "The requested media type is not available"), request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ErrorResponse> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return api(new ApiException(ErrorCode.METHOD_NOT_ALLOWED,
                "Method " + e.getMethod() + " is not allowed on " + request.getRequestURI()), request);
    }

    @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
    ResponseEntity<ErrorResponse> noRoute(Exception e, HttpServletRequest request) {
        return api(new ApiException(ErrorCode.NOT_FOUND, "No route " + request.getMethod() + " " + request.getRequestURI()), request);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ErrorResponse> uploadTooLarge(MaxUploadSizeExceededException e, HttpServletRequest request) {
        return api(new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "Upload is too large"), request);
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ErrorResponse> multipart(MultipartException e, HttpServletRequest request) {
        if (e.getCause() != null && e.getCause().getClass().getSimpleName().contains("SizeLimit")) {
            return uploadTooLarge(null, request);
        }
        return api(new ApiException(ErrorCode.VALIDATION_ERROR, "Malformed multipart request"), request);
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ErrorResponse> bodyTooLarge(BodyTooLargeException e, HttpServletRequest request) {
        return api(new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, e.getMessage()), request);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ErrorResponse> integrity(DataIntegrityViolationException e, HttpServletRequest request) {
        log.info("Constraint violation on {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMostSpecificCause().getMessage());
        return api(ApiException.conflict("The change conflicts with existing data"), request);
    }

    // TransactionSystemException: a commit or rollback whose connection broke (the primary died):
    // the outcome is unknown to us too, so the client retries — safe, sends are idempotent.
    @ExceptionHandler({TransientDataAccessException.class, DataAccessResourceFailureException.class,
            CannotCreateTransactionException.class, org.springframework.transaction.TransactionSystemException.class})
    ResponseEntity<ErrorResponse> transientDatabase(Exception e, HttpServletRequest request) {
        log.warn("Database temporarily unavailable", e);
        return api(new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "Service temporarily unavailable"), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorResponse> unexpected(Exception e, HttpServletRequest request) {
        log.error("Unhandled failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return ResponseEntity.status(ErrorCode.INTERNAL_ERROR.status())
                .body(ErrorResponse.of(ErrorCode.INTERNAL_ERROR, "Internal server error", List.of(), RequestIds.of(request)));
    }
}
