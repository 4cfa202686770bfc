package app.confab.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

import app.confab.support.Api;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Validates frames against the checked-in schema (docs/protocol/events.schema.json). */
final class ProtocolSchemaCheck {

    private final Schema serverFrames;
    private final Schema clientRequests;
    private final Map<String, Schema> byDefinition = new ConcurrentHashMap<>();
    private final SchemaRegistry registry;
    private final ObjectNode document;

    ProtocolSchemaCheck() {
        try {
            document = (ObjectNode) Api.json().readTree(
                    Files.readString(ProtocolSchemaTest.SCHEMA_FILE, StandardCharsets.UTF_8));
            // Formats (uuid, date-time) are asserted, not just annotated: a made-up id is an error.
            registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    builder -> builder.schemaRegistryConfig(
                            SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
            serverFrames = registry.getSchema(document.toString());
            clientRequests = definition("ClientRequest");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The schema's complaints about a server frame; empty when it is valid. Checked against the
     * definition its type names (readable errors), then against the whole document's oneOf.
     */
    List<String> serverFrame(JsonNode frame) {
        String name = ProtocolSchema.frameName(frame.path("type").asString("x"), "Frame");
        if (document.path("$defs").has(name)) {
            List<String> errors = messages(definition(name).validate(frame));
            if (!errors.isEmpty()) {
                return errors;
            }
        }
        return messages(serverFrames.validate(frame));
    }

    List<String> clientRequest(JsonNode frame) {
        String name = ProtocolSchema.frameName(frame.path("type").asString("x"), "Request");
        if (document.path("$defs").has(name)) {
            List<String> errors = messages(definition(name).validate(frame));
            if (!errors.isEmpty()) {
                return errors;
            }
        }
        return messages(clientRequests.validate(frame));
    }

    private Schema definition(String name) {
        return byDefinition.computeIfAbsent(name, ignored -> {
            ObjectNode copy = document.deepCopy();
            copy.remove("oneOf");
            copy.remove("$id");
            copy.put("$ref", "#/$defs/" + name);
            return registry.getSchema(copy.toString());
        });
    }

    private static List<String> messages(List<Error> errors) {
        return errors.stream().map(Error::toString).toList();
    }
}
