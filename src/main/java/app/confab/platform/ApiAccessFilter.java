package app.confab.platform;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The gate in front of every {@code /api/} route: verifies the bearer token, then applies the
 * per-client API rate limit (per user once signed in, per address before). Routes listed in
 * {@link #PUBLIC_PATHS} work without a token; a token sent to them is still honoured.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class ApiAccessFilter extends OncePerRequestFilter {

    static final List<String> PUBLIC_PATHS = List.of(
            "/api/auth/register", "/api/auth/login", "/api/auth/refresh", "/api/auth/logout",
            "/api/auth/config", "/api/auth/password-reset", "/api/auth/password-reset/*", "/api/auth/oidc/*",
            "/api/docs", "/api/docs/**", "/api/swagger-ui/**", "/api/protocol/schema",
            "/api/attachments/*/signed/**",
            // The unsubscribe link of a digest email works without signing in (a signed token).
            "/api/notifications/unsubscribe");

    private final AntPathMatcher matcher = new AntPathMatcher();
    private final AccessTokenVerifier verifier;
    private final RateLimiter rateLimiter;
    private final ClientAddress clientAddress;
    private final ErrorResponseWriter errors;

    public ApiAccessFilter(AccessTokenVerifier verifier, RateLimiter rateLimiter, ClientAddress clientAddress,
                           ErrorResponseWriter errors) {
        this.verifier = verifier;
        this.rateLimiter = rateLimiter;
        this.clientAddress = clientAddress;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean publicPath = isPublic(request.getRequestURI());
        String token = bearerToken(request);
        AuthenticatedUser user = null;
        java.time.Instant expiresAt = null;
        if (token != null) {
            try {
                AccessTokenVerifier.AccessGrant grant = verifier.verifyAccess(token);
                user = grant.user();
                expiresAt = grant.expiresAt();
            } catch (ApiException e) {
                if (!publicPath) {
                    errors.write(request, response, ErrorCode.UNAUTHORIZED, e.getMessage(), null);
                    return;
                }
            }
        } else if (!publicPath && "OPTIONS".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        if (user == null && !publicPath) {
            errors.write(request, response, ErrorCode.UNAUTHORIZED, "Missing or invalid access token", null);
            return;
        }
        String limitKey = user != null ? "user:" + user.userId() : "ip:" + clientAddress.of(request);
        Duration wait = rateLimiter.tryAcquire(RateLimiter.Limit.API, limitKey);
        if (wait != null) {
            errors.write(request, response, ErrorCode.RATE_LIMIT_EXCEEDED, "Too many requests, try again later", wait);
            return;
        }
        if (user != null) {
            request.setAttribute(AuthenticatedUser.ATTRIBUTE, user);
            request.setAttribute(AuthenticatedUser.EXPIRES_AT_ATTRIBUTE, expiresAt);
            MDC.put("userId", user.userId().toString());
        }
        chain.doFilter(request, response);
    }

    private boolean isPublic(String path) {
        for (String pattern : PUBLIC_PATHS) {
            if (matcher.match(pattern, path)) {
                return true;
            }
        }
        return false;
    }

    static String bearerToken(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
