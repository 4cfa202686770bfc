package app.confab.platform;

import org.springframework.stereotype.Component;

import jakarta.servlet.http.HttpServletRequest;

/** The caller's address for rate limits: the socket peer, or X-Forwarded-For behind a trusted proxy. */
@Component
public class ClientAddress {

    private final boolean trustForwardedFor;

    public ClientAddress(ConfabProperties properties) {
        this.trustForwardedFor = properties.rateLimit().trustForwardedFor();
    }

    public String of(HttpServletRequest request) {
        if (trustForwardedFor) {
            String forwarded = request.getHeader("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                return forwarded.split(",")[0].trim();
            }
        }
        return request.getRemoteAddr();
    }
}
