package app.confab.platform;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed request targets sent over a raw socket (an HTTP client would normalise or refuse
 * them): each gets a 4xx in the error format, never a 500, never the container's HTML page or
 * its banner. Every answer, good or bad, carries nosniff.
 */
class MalformedUrlBatteryTest extends IntegrationTest {

    /** Request targets that must be refused with 400 VALIDATION_ERROR. */
    private static final List<String> BAD_TARGETS = List.of(
            "/api/messages/search?q=%ff",                  // invalid UTF-8 in a parameter
            "/api/messages/search?q=%c0%ae%c0%ae",         // overlong UTF-8 in a parameter
            "/api/messages/search?q=%ed%a0%80",            // an encoded surrogate
            "/api/messages/search?q=a%00b",                // NUL in a parameter
            "/api/messages/search?q=%zz",                  // invalid percent-encoding in a parameter
            "/api/messages/search?q=%",                    // truncated percent-encoding
            "/api/messages/search?q=%e2%82",               // truncated multi-byte sequence
            "/api/messages/search?q%ff=1",                 // invalid UTF-8 in a parameter name
            "/api/chats?cursor=%00",
            "/api/messages/%00",                           // NUL in the path
            "/api/messages/%ff",                           // invalid UTF-8 in the path
            "/api/messages/%c0%ae%c0%ae",                  // overlong dot-dot in the path
            "/api/messages/%zz",                           // invalid percent-encoding in the path
            "/api/messages/a%2fb",                         // encoded slash
            "/api/messages/%5c..%5cetc",                   // encoded backslash
            "/api/%2e%2e/health",                          // encoded dot-dot
            "/api/messages/a%01b",                         // a control character
            "/api/messages/%e2%82");                       // truncated multi-byte sequence in the path

    /** Targets Tomcat itself refuses while parsing the request line, before any filter runs. */
    private static final List<String> CONTAINER_REFUSED = List.of(
            "/api/messages/a b",
            "/api/messages/a\u0001b",
            "/api/messages/{x}",
            "/api/messages/a|b",
            "/api/messages?x=<script>");

    @Test
    void malformedPathsAndParametersAreValidationErrorsInTheErrorFormat() throws Exception {
        Users.TestUser user = users.register("malformed");
        List<String> failures = new ArrayList<>();
        for (String target : BAD_TARGETS) {
            for (String token : new String[]{user.token(), null}) {
                RawResponse response = get(target, token);
                String problem = problem(response, 400, "VALIDATION_ERROR");
                if (problem != null) {
                    failures.add(target + (token == null ? " (no token)" : "") + ": " + problem);
                }
            }
        }
        assertThat(failures).isEmpty();
        // The server is still up and serving normally.
        assertThat(api.get("/api/users/me", user.token()).status()).isEqualTo(200);
    }

    @Test
    void requestsTomcatRefusesItselfStillGetTheErrorFormatWithoutBanner() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String target : CONTAINER_REFUSED) {
            String problem = problem(raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
                    400, "VALIDATION_ERROR");
            if (problem != null) {
                failures.add(target + ": " + problem);
            }
        }
        // An unknown HTTP version is answered 505 by Tomcat: the status stays, the page does not.
        String badVersion = problem(raw("GET /api/users/me HTTP/9.9\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 505, null);
        if (badVersion != null) {
            failures.add("HTTP/9.9: " + badVersion);
        }
        String badHeader = problem(raw("GET /api/users/me HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\nConnection: close\r\n\r\n"),
                400, "VALIDATION_ERROR");
        if (badHeader != null) {
            failures.add("invalid header name: " + badHeader);
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void everyApiAnswerCarriesNosniffAndNoServerBanner() {
        Users.TestUser user = users.register("nosniff");
        for (Api.Response response : List.of(api.get("/api/users/me", user.token()), api.get("/api/users/me", null),
                api.get("/health", null), api.get("/api/nothing-here", user.token()))) {
            assertThat(response.header("X-Content-Type-Options")).as(response.text()).isEqualTo("nosniff");
            assertThat(response.header("Server")).isNull();
        }
    }

    private String problem(RawResponse response, int status, String code) {
        if (status > 0 && response.status != status) {
            return "status " + response.status + " " + response.body;
        }
        if (status <= 0 && (response.status >= 500 || response.status < 400)) {
            return "status " + response.status;
        }
        if (response.headers.toLowerCase().contains("\r\nserver:")) {
            return "server banner: " + response.headers;
        }
        if (!response.headers.toLowerCase().contains("content-type: application/json")) {
            return "not JSON: " + response.headers + "\n" + response.body;
        }
        if (response.body.toLowerCase().contains("<html") || response.body.contains("Tomcat")) {
            return "HTML page: " + response.body;
        }
        JsonNode error = Api.json().readTree(response.body).path("error");
        if (code != null && !code.equals(error.path("code").asString())) {
            return "code " + error.path("code").asString() + " " + response.body;
        }
        if (error.path("message").asString("").isBlank() || error.path("timestamp").asString("").isBlank()
                || !error.path("details").isArray() || !error.has("requestId")) {
            return "incomplete error envelope: " + response.body;
        }
        if (!response.headers.toLowerCase().contains("x-content-type-options: nosniff")) {
            return "no nosniff: " + response.headers;
        }
        return null;
    }

    private RawResponse get(String target, String token) throws Exception {
        String request = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Connection: close\r\n\r\n";
        return raw(request);
    }

    private RawResponse raw(String request) throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            String text = bytes.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String headers = split < 0 ? text : text.substring(0, split + 2);
            String body = split < 0 ? "" : text.substring(split + 4);
            if (headers.toLowerCase().contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            String[] statusLine = headers.split("\r\n", 2)[0].split(" ");
            int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
            return new RawResponse(status, headers, body);
        }
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int lineEnd = body.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                break;
            }
            // Sizes count bytes; the bodies here are ASCII JSON or HTML, so chars match bytes.
            out.append(body, lineEnd + 2, Math.min(body.length(), lineEnd + 2 + size));
            at = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }

    private record RawResponse(int status, String headers, String body) {
    }
}
