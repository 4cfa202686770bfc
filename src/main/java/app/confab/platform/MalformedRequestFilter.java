package app.confab.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses, with 400 in the error format, a request whose path or query string does not decode to
 * clean text: invalid or truncated percent-encoding, bytes that are not well-formed UTF-8 (overlong
 * forms and encoded surrogates included), NUL and other control characters, encoded slashes,
 * backslashes and dot segments in the path. Tomcat's own parameter parser throws on some of these
 * deep inside a controller (a 500), and silently passes others (a NUL reaching PostgreSQL); checking
 * the raw text here, before authentication, gives every route the same answer.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class MalformedRequestFilter extends OncePerRequestFilter {

    private final ErrorResponseWriter errors;

    public MalformedRequestFilter(ErrorResponseWriter errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String problem = pathProblem(request.getRequestURI());
        if (problem == null) {
            problem = queryProblem(request.getQueryString());
        }
        if (problem != null) {
            errors.write(request, response, ErrorCode.VALIDATION_ERROR, problem, null);
            return;
        }
        chain.doFilter(request, response);
    }

    /** Why the raw path is unacceptable, or null when it is fine. */
    static String pathProblem(String rawPath) {
        if (rawPath == null) {
            return null;
        }
        for (String segment : rawPath.split("/", -1)) {
            String decoded;
            try {
                decoded = decode(segment, false);
            } catch (IllegalArgumentException e) {
                return "Malformed URL path: " + e.getMessage();
            }
            if (decoded.indexOf('/') >= 0 || decoded.indexOf('\\') >= 0) {
                return "Malformed URL path: encoded slash or backslash";
            }
            if ((decoded.equals(".") || decoded.equals("..")) && !decoded.equals(segment)) {
                return "Malformed URL path: encoded dot segment";
            }
            if (hasControlCharacter(decoded, false)) {
                return "Malformed URL path: control character";
            }
        }
        return null;
    }

    /** Why the raw query string is unacceptable, or null when it is fine. */
    static String queryProblem(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        for (String pair : rawQuery.split("&", -1)) {
            String decoded;
            try {
                decoded = decode(pair, true);
            } catch (IllegalArgumentException e) {
                return "Malformed URL query: " + e.getMessage();
            }
            // Tabs and line breaks are legitimate in a search text; other control characters are not.
            if (hasControlCharacter(decoded, true)) {
                return "Malformed URL query: control character";
            }
        }
        return null;
    }

    private static boolean hasControlCharacter(String text, boolean allowWhitespace) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 || c == 0x7f) && !(allowWhitespace && (c == '\t' || c == '\n' || c == '\r'))) {
                return true;
            }
        }
        return false;
    }

    /** Strict percent-decoding as UTF-8: any malformed escape or byte sequence is an error. */
    static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new IllegalArgumentException("truncated percent-encoding");
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("invalid percent-encoding");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                // Tomcat hands the raw target over as ISO-8859-1, one char per byte.
                bytes.write(c & 0xff);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not valid UTF-8");
        }
    }
}
