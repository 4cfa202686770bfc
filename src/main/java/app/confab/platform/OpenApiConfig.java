package app.confab.platform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;

/**
 * The generated OpenAPI document at {@code /api/docs/openapi.json} (browsable at {@code /api/docs},
 * no token needed to read it): bearer authentication, no internal parameters, and — added by
 * {@link #documentConventions()} to every operation, so controllers need no annotations — a
 * summary and description ({@link ApiDocs}), the shared error format on every 4xx/5xx answer,
 * {@code required} fields and examples on request bodies, and the upload as multipart/form-data.
 * {@code OpenApiLintTest} runs {@code redocly lint} over the result.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

    static final String ERROR_SCHEMA = "ErrorResponse";

    /** Operations reachable without a token (ApiAccessFilter.PUBLIC_PATHS, and the health probes). */
    private static final Set<String> PUBLIC_OPERATIONS = Set.of(
            "POST /api/auth/register", "POST /api/auth/login", "POST /api/auth/refresh", "POST /api/auth/logout",
            "GET /api/attachments/{id}/signed/{variant}", "GET /health", "GET /health/ready");

    private static final Map<String, String> TAG_DESCRIPTIONS = Map.of(
            "auth-controller", "Accounts: register, sign in, token refresh and sign out",
            "user-controller", "Profiles and user search",
            "contact-controller", "Contacts, contact requests and blocking",
            "chat-controller", "Direct and group chats and their participants",
            "message-controller", "Messages, reactions and read positions",
            "search-controller", "Full-text message search",
            "attachment-controller", "Image upload and download",
            "events-controller", "Long-polling fallback for real-time events",
            "health-controller", "Liveness and readiness probes");

    /** Error answers every operation may give, with the code a client sees in {@code error.code}. */
    private record ErrorAnswer(String status, String name, String description, String code, String message) {
    }

    private static final List<ErrorAnswer> ERRORS = List.of(
            new ErrorAnswer("400", "BadRequest", "The request is invalid; details name each bad field",
                    "VALIDATION_ERROR", "Validation failed"),
            new ErrorAnswer("401", "Unauthorized", "No valid access token", "UNAUTHORIZED", "Missing or invalid access token"),
            new ErrorAnswer("403", "Forbidden", "Signed in, but not allowed to do this", "FORBIDDEN", "Only the chat owner can do this"),
            new ErrorAnswer("404", "NotFound", "No such resource, or not visible to the caller", "NOT_FOUND", "Chat not found"),
            new ErrorAnswer("429", "TooManyRequests", "Rate limited; the Retry-After header says when to try again",
                    "RATE_LIMIT_EXCEEDED", "Too many requests, try again later"),
            new ErrorAnswer("500", "InternalError", "An unexpected server error (logged with the requestId)",
                    "INTERNAL_ERROR", "Internal server error"));

    static {
        // The caller comes from the bearer token (ApiAccessFilter), never from request parameters.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(AuthenticatedUser.class);
    }

    @Bean
    OpenAPI confabOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Confab API").version("v1")
                        .license(new License().name("Proprietary").identifier("LicenseRef-Confab-Proprietary"))
                        .description("Confab's HTTP API. Send `Authorization: Bearer <accessToken>` (from "
                                + "/api/auth/login) to every route except sign-in, registration, refresh and signed links. "
                                + "Errors: {\"error\":{code,message,details,timestamp,requestId}}; "
                                + "lists: {\"data\":[...],\"nextCursor\":...,\"hasMore\":...}. Real-time events: the WebSocket at /ws "
                                + "(docs/PROTOCOL.md)."))
                .servers(List.of(new Server().url("/").description("This server")))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    @Bean
    OpenApiCustomizer documentConventions() {
        return openApi -> {
            Components components = openApi.getComponents();
            components.addSchemas(ERROR_SCHEMA, errorSchema());
            for (ErrorAnswer error : ERRORS) {
                components.addResponses(error.name(), new ApiResponse().description(error.description())
                        .content(json(new Schema<>().$ref("#/components/schemas/" + ERROR_SCHEMA),
                                errorExample(error))));
            }
            if (openApi.getPaths() != null) {
                openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
                        .forEach((method, operation) -> document(path, method, operation)));
            }
            if (components.getSchemas() != null) {
                ApiDocs.REQUIRED.forEach((name, fields) -> {
                    Schema<?> schema = components.getSchemas().get(name);
                    if (schema != null) {
                        schema.setRequired(new ArrayList<>(fields));
                    }
                });
                ApiDocs.EXAMPLES.forEach((name, example) -> {
                    Schema<?> schema = components.getSchemas().get(name);
                    if (schema != null) {
                        schema.setExample(example);
                    }
                });
            }
            if (openApi.getTags() == null || openApi.getTags().isEmpty()) {
                List<Tag> tags = new ArrayList<>();
                TAG_DESCRIPTIONS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(entry -> tags.add(new Tag().name(entry.getKey()).description(entry.getValue())));
                openApi.setTags(tags);
            }
        };
    }

    private static void document(String path, PathItem.HttpMethod method, Operation operation) {
        String key = method.name() + " " + path;
        ApiDocs.Text text = ApiDocs.OPERATIONS.get(key);
        if (operation.getSummary() == null) {
            operation.setSummary(text != null ? text.summary() : humanize(operation.getOperationId()));
        }
        if (operation.getDescription() == null) {
            operation.setDescription(text != null ? text.description() : operation.getSummary() + ".");
        }
        boolean open = PUBLIC_OPERATIONS.contains(key);
        if (open) {
            operation.setSecurity(List.of());
        }
        if ("POST /api/attachments/upload".equals(key)) {
            documentUpload(operation);
        }
        ApiResponses responses = operation.getResponses() != null ? operation.getResponses() : new ApiResponses();
        operation.setResponses(responses);
        for (ErrorAnswer error : ERRORS) {
            boolean applies = switch (error.status()) {
                case "401" -> !open;
                case "403" -> !open && method != PathItem.HttpMethod.GET && path.contains("{");
                case "404" -> path.contains("{");
                default -> true;
            };
            if (applies && !responses.containsKey(error.status())) {
                responses.addApiResponse(error.status(), new ApiResponse().$ref("#/components/responses/" + error.name()));
            }
        }
    }

    /** Spring binds the files from the multipart body; springdoc would describe them as a query parameter. */
    private static void documentUpload(Operation operation) {
        if (operation.getParameters() != null) {
            operation.getParameters().removeIf(parameter -> "images".equals(parameter.getName()));
            if (operation.getParameters().isEmpty()) {
                operation.setParameters(null);
            }
        }
        Schema<Object> form = new ObjectSchema()
                .addProperty("images", new ArraySchema().items(new StringSchema().format("binary"))
                        .description("The image files (up to 10)"));
        form.setRequired(List.of("images"));
        operation.setRequestBody(new RequestBody().required(true).content(new Content()
                .addMediaType(org.springframework.http.MediaType.MULTIPART_FORM_DATA_VALUE, new MediaType().schema(form))));
    }

    private static Schema<?> errorSchema() {
        Schema<Object> detail = new ObjectSchema()
                .addProperty("field", new StringSchema().description("The request field at fault"))
                .addProperty("message", new StringSchema().description("What is wrong with it"));
        detail.setRequired(List.of("field", "message"));
        Schema<Object> body = new ObjectSchema()
                .addProperty("code", new StringSchema()._enum(Arrays.stream(ErrorCode.values()).map(Enum::name).toList())
                        .description("Machine-readable error code"))
                .addProperty("message", new StringSchema().description("Human-readable explanation"))
                .addProperty("details", new ArraySchema().items(detail).description("Per-field problems (may be empty)"))
                .addProperty("timestamp", new StringSchema().format("date-time"))
                .addProperty("requestId", new StringSchema().description("Also in the X-Request-Id header and the server log"));
        body.setRequired(List.of("code", "message", "details", "timestamp", "requestId"));
        Schema<Object> envelope = new ObjectSchema().addProperty("error", body);
        envelope.setRequired(List.of("error"));
        envelope.setDescription("The error format of every 4xx/5xx answer");
        return envelope;
    }

    private static Map<String, Object> errorExample(ErrorAnswer error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", error.code());
        body.put("message", error.message());
        body.put("details", "400".equals(error.status())
                ? List.of(Map.of("field", "username", "message", "Username must be 3-50 characters")) : List.of());
        body.put("timestamp", "2026-01-15T09:30:00Z");
        body.put("requestId", "7f3e9c2a-1b4d-4e8f-9a6c-5d2e1f0b3a47");
        return Map.of("error", body);
    }

    private static Content json(Schema<?> schema, Object example) {
        return new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                new MediaType().schema(schema).example(example));
    }

    /** {@code "addParticipants_1"} → {@code "Add participants"}. */
    static String humanize(String operationId) {
        if (operationId == null || operationId.isBlank()) {
            return "Operation";
        }
        String name = operationId.replaceAll("_\\d+$", "");
        String words = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
