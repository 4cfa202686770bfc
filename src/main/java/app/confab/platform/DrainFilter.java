package app.confab.platform;

import java.io.IOException;
import java.time.Duration;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * While the node drains, refuses what would keep a client here for long — a new WebSocket or a
 * long-poll — with 503, which nginx (proxy_next_upstream http_503) retries on another node.
 * Ordinary requests are still served until the web server stops accepting connections.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class DrainFilter extends OncePerRequestFilter {

    private final NodeDrain drain;
    private final ErrorResponseWriter errors;

    public DrainFilter(NodeDrain drain, ErrorResponseWriter errors) {
        this.drain = drain;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !drain.isDraining();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        if (path.equals("/ws") || path.startsWith("/ws/") || path.equals("/api/events")) {
            errors.write(request, response, ErrorCode.SERVICE_UNAVAILABLE, "This node is shutting down", Duration.ofSeconds(1));
            return;
        }
        chain.doFilter(request, response);
    }
}
