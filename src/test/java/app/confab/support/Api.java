package app.confab.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** A small real-HTTP client for tests: JSON in, status + parsed JSON out. */
public class Api {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Api(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Response get(String path, String token) {
        return send("GET", path, token, null, null);
    }

    public Response delete(String path, String token) {
        return send("DELETE", path, token, null, null);
    }

    public Response post(String path, String token, Object body) {
        return send("POST", path, token, body, null);
    }

    public Response put(String path, String token, Object body) {
        return send("PUT", path, token, body, null);
    }

    public Response patch(String path, String token, Object body) {
        return send("PATCH", path, token, body, null);
    }

    /** Sends a raw body with the given content type (for malformed-input tests). */
    public Response raw(String method, String path, String token, String contentType, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return execute(builder.build());
    }

    public Response send(String method, String path, String token, Object body, Map<String, String> headers) {
        String json = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (headers != null) {
            headers.forEach(builder::header);
        }
        return execute(builder.build());
    }

    private Response execute(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body() == null || response.body().isBlank() ? null : parse(response.body());
            return new Response(response.statusCode(), body, response.body(), response.headers().map());
        } catch (Exception e) {
            throw new IllegalStateException("Request failed: " + request.method() + " " + request.uri(), e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    public static ObjectMapper json() {
        return JSON;
    }

    public record Response(int status, JsonNode body, String text, Map<String, java.util.List<String>> headers) {

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .findFirst()
                    .map(entry -> entry.getValue().getFirst())
                    .orElse(null);
        }

        public String errorCode() {
            return body == null ? null : body.path("error").path("code").asString(null);
        }
    }
}
