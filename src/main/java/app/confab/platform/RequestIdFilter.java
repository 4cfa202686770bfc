package app.confab.platform;

import java.io.IOException;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Gives each request an id (the caller's X-Request-Id when it is sane), puts it in the logging
 * context and the response, and logs one line per API request (method, route template, status,
 * time, client address, user and request id, also as separate fields) so an error's requestId can
 * be found in the log.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter extends OncePerRequestFilter {

    private static final Logger accessLog = LoggerFactory.getLogger("confab.access");
    private static final Logger log = LoggerFactory.getLogger(RequestIdFilter.class);
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{8,100}");

    private final ErrorResponseWriter errors;
    private final ClientAddress clientAddress;

    public RequestIdFilter(ErrorResponseWriter errors, ClientAddress clientAddress) {
        this.errors = errors;
        this.clientAddress = clientAddress;
    }

    private static boolean isDatabaseUnavailable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException
                    || cause instanceof CannotCreateTransactionException) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String incoming = request.getHeader(RequestIds.HEADER);
        String requestId = incoming != null && SAFE_ID.matcher(incoming).matches() ? incoming : RequestIds.newId();
        request.setAttribute(RequestIds.ATTRIBUTE, requestId);
        response.setHeader(RequestIds.HEADER, requestId);
        response.setHeader(SecurityHeaders.CONTENT_TYPE_OPTIONS, SecurityHeaders.NOSNIFF);
        MDC.put(RequestIds.MDC_KEY, requestId);
        long started = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            // A failure in a filter (e.g. the database is down while a token's session is checked)
            // never reaches Spring MVC's handlers: answer it here, while the request id is in the MDC.
            if (response.isCommitted()) {
                throw e;
            }
            boolean unavailable = isDatabaseUnavailable(e);
            if (unavailable) {
                log.warn("Database unavailable during {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
            } else {
                log.error("Unhandled failure on {} {}", request.getMethod(), request.getRequestURI(), e);
            }
            errors.write(request, response, unavailable ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.INTERNAL_ERROR,
                    unavailable ? "Service temporarily unavailable" : "Internal server error", null);
        } finally {
            if (request.getRequestURI().startsWith("/api/") && accessLog.isInfoEnabled()) {
                logAccess(request, response, (System.nanoTime() - started) / 1_000_000);
            }
            MDC.remove(RequestIds.MDC_KEY);
            MDC.remove("userId");
        }
    }

    /**
     * One access line: the message for people ({@code POST /api/chats/{chatId}/messages 201 41ms},
     * the route template, never raw ids), and as fields for log queries (JSON lines):
     * {@code http.method}, {@code http.route}, {@code http.status}, {@code duration_ms},
     * {@code client.address}, {@code user.id} and {@code request.id}.
     */
    private void logAccess(HttpServletRequest request, HttpServletResponse response, long durationMs) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        String route = pattern != null ? pattern.toString() : "unmatched";
        Object user = request.getAttribute(AuthenticatedUser.ATTRIBUTE);
        var line = accessLog.atInfo()
                .addKeyValue("http.method", request.getMethod())
                .addKeyValue("http.route", route)
                .addKeyValue("http.status", response.getStatus())
                .addKeyValue("duration_ms", durationMs)
                .addKeyValue("client.address", clientAddress.of(request))
                .addKeyValue("request.id", request.getAttribute(RequestIds.ATTRIBUTE));
        if (user instanceof AuthenticatedUser authenticated) {
            line = line.addKeyValue("user.id", authenticated.userId().toString());
        }
        line.log("{} {} {} {}ms", request.getMethod(), route, response.getStatus(), durationMs);
    }

    /**
     * The path as it may be logged: never the query string (getRequestURI has none), and a signed
     * file URL's signature (a bearer capability) cut off. Headers and bodies are never logged.
     */
    static String loggablePath(String path) {
        int signed = path.indexOf("/signed/");
        return signed < 0 ? path : path.substring(0, signed) + "/signed/…";
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return true;
    }
}
