package app.confab.platform;

import java.io.IOException;
import java.util.Set;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Read-your-own-writes with a read replica: a signed-in user's API request that may write pins the
 * user's lag-tolerant reads to the primary for a while ({@link ReplicaJdbc#noteWrite}). Noted before
 * the request (the response can reach the client before this filter runs again) and after it (so the
 * window counts from the commit of a slow request). Runs after {@link ApiAccessFilter} has
 * identified the caller. WebSocket frames that write are noted by the WebSocket edge.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
public class RecentWriterFilter extends OncePerRequestFilter {

    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final ReplicaJdbc replica;

    public RecentWriterFilter(ReplicaJdbc replica) {
        this.replica = replica;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !replica.configured() || READ_METHODS.contains(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        AuthenticatedUser user = request.getAttribute(AuthenticatedUser.ATTRIBUTE) instanceof AuthenticatedUser u ? u : null;
        if (user != null) {
            replica.noteWrite(user.userId());
        }
        try {
            chain.doFilter(request, response);
        } finally {
            if (user != null) {
                replica.noteWrite(user.userId());
            }
        }
    }
}
