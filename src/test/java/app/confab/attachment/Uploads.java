package app.confab.attachment;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import app.confab.support.Api;
import tools.jackson.databind.JsonNode;

/** Real multipart uploads and binary downloads over HTTP, for the attachment tests. */
public final class Uploads {

    public record Part(String fileName, String contentType, byte[] bytes) {
    }

    public record Download(int status, byte[] body, HttpResponse<byte[]> response) {
        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        public JsonNode json() {
            return Api.json().readTree(body);
        }
    }

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Uploads(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public static Part part(String fileName, String contentType, byte[] bytes) {
        return new Part(fileName, contentType, bytes);
    }

    public Api.Response upload(String token, List<Part> parts) {
        return upload(token, "images", parts);
    }

    public Api.Response upload(String token, String fieldName, List<Part> parts) {
        String boundary = "confab-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Part part : parts) {
            body.writeBytes(("--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"" + fieldName + "\"; filename=\"" + part.fileName() + "\"\r\n"
                    + "Content-Type: " + part.contentType() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(part.bytes());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/attachments/upload"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body() == null || response.body().isBlank() ? null : Api.json().readTree(response.body());
            return new Api.Response(response.statusCode(), json, response.body(), response.headers().map());
        } catch (Exception e) {
            throw new IllegalStateException("Upload failed", e);
        }
    }

    public Download get(String path, String token) {
        return get(path, token, Map.of());
    }

    public Download get(String path, String token, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Download(response.statusCode(), response.body(), response);
        } catch (Exception e) {
            throw new IllegalStateException("Download failed: " + path, e);
        }
    }
}
