package app.confab.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The REST side of Confab as the tool uses it: plain HTTP/1.1 with JSON, as a client would. */
public final class ConfabApi implements AutoCloseable {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final HttpClient http;

    public ConfabApi(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    public record Response(int status, JsonNode body, String text, long nanos) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public String errorCode() {
            return body == null ? null : body.path("error").path("code").asString(null);
        }

        @Override
        public String toString() {
            return status + " " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
        }
    }

    public Response get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    public Response post(String path, String token, Object body) {
        String json = body instanceof String s ? s : JSON.writeValueAsString(body);
        return send(request(path, token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    /** A multipart/form-data POST with one or more files under the same field name. */
    public Response upload(String path, String token, String field, List<FilePart> files) {
        String boundary = "confab-load-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (FilePart file : files) {
            body.writeBytes(("--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + file.name() + "\"\r\n"
                    + "Content-Type: " + file.contentType() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file.bytes());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request(path, token)
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build());
    }

    public record FilePart(String name, String contentType, byte[] bytes) {
    }

    /** The server's Prometheus text, or null when /metrics does not answer. */
    public String metricsText() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public static String query(Map<String, String> params) {
        StringBuilder query = new StringBuilder();
        params.forEach((name, value) -> query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("User-Agent", "confab-load");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Response send(HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long nanos = System.nanoTime() - start;
            String text = response.body() == null ? "" : response.body();
            return new Response(response.statusCode(), parse(text), text, nanos);
        } catch (IOException e) {
            return new Response(-1, null, e.toString(), System.nanoTime() - start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, null, e.toString(), System.nanoTime() - start);
        }
    }

    private static JsonNode parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The id of a created chat, whether the response is {chat:{id}}, {data:{id}} or {id}. */
    public static String chatId(JsonNode body) {
        for (String wrapper : new String[] {"chat", "data"}) {
            JsonNode id = body.path(wrapper).path("id");
            if (id.isString()) {
                return id.asString();
            }
        }
        return body.path("id").asString(null);
    }

    @Override
    public void close() {
        http.close();
    }
}
