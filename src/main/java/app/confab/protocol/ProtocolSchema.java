package app.confab.protocol;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaBuilder;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;

import app.confab.platform.ErrorCode;

/**
 * Generates the protocol's JSON Schema (draft 2020-12) from the {@link Event} and {@link Request}
 * records: one {@code <Name>Frame} definition per server frame type, one {@code <Name>Request} per
 * client request, and a definition per payload record. The result is checked in at
 * docs/protocol/events.schema.json (a test fails when it differs) and served at
 * {@code GET /api/protocol/schema}.
 *
 * <p>Nullability: a field is nullable unless it is a primitive, a list, an identifier the server
 * always sets, or a creation time. Required: every field the server always writes, that is every
 * record component not marked {@code @JsonInclude(NON_NULL/NON_EMPTY)}.
 */
public final class ProtocolSchema {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String DEFS = "#/$defs/";
    private static final Set<String> ALWAYS_SET = Set.of("id", "chatId", "messageId", "userId", "senderId",
            "reactionId", "contactId", "createdAt", "type", "status", "emoji", "username", "contentType", "code",
            "message", "cursor", "callId", "callerId", "fromUserId");
    private static final String NULLABLE_SUFFIX = "-nullable";
    private static final String CURSOR_PATTERN = "^[0-9]{1,18}$";

    private ProtocolSchema() {
    }

    /** The whole schema document, pretty-printed, ending with a newline. */
    public static String generate() {
        try {
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            return json.writeValueAsString(document()) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode document() {
        SchemaBuilder payloads = generator().buildMultipleSchemaDefinitions();
        Map<String, ObjectNode> frames = new LinkedHashMap<>();

        for (Class<? extends Event> event : Event.catalogue()) {
            String type = Event.typeOf(event);
            ObjectNode data = payloads.createSchemaReference(dataType(event));
            ObjectNode frame = frame(type, data);
            if (!Event.Ephemeral.class.isAssignableFrom(event)) {
                ObjectNode cursor = ((ObjectNode) frame.get("properties")).putObject("cursor");
                cursor.put("type", "string").put("pattern", CURSOR_PATTERN);
                ((ArrayNode) frame.get("required")).add("cursor");
            }
            frames.put(frameName(type, "Frame"), frame);
        }
        frames.put("ReadyFrame", frame("ready", payloads.createSchemaReference(Control.ReadyData.class)));
        frames.put("ResyncFrame", frame("resync", payloads.createSchemaReference(Control.ResyncData.class)));
        ObjectNode ack = frame("ack", object());
        ((ObjectNode) ack.get("properties")).set("id", requestId(false));
        ((ArrayNode) ack.get("required")).add("id");
        frames.put("AckFrame", ack);
        ObjectNode error = frame("error", null);
        ((ObjectNode) error.get("properties")).set("id", requestId(true));
        ((ObjectNode) error.get("properties")).set("error", payloads.createSchemaReference(Control.ErrorBody.class));
        ((ArrayNode) error.get("required")).add("id").add("error");
        frames.put("ErrorFrame", error);
        ObjectNode pong = frame("pong", null);
        ((ObjectNode) pong.get("properties")).set("id", requestId(false));
        frames.put("PongFrame", pong);

        Map<String, ObjectNode> requests = new LinkedHashMap<>();
        for (Class<? extends Request> request : Request.catalogue()) {
            String type = Request.typeOf(request);
            ObjectNode frame = frame(type, payloads.createSchemaReference(request));
            ArrayNode required = (ArrayNode) frame.get("required");
            required.removeAll().add("type");
            if (request == Request.Auth.class) {
                required.add("data");
            }
            ((ObjectNode) frame.get("properties")).set("id", requestId(false));
            if (!Request.idOptional(request)) {
                required.add("id");
            }
            requests.put(frameName(type, "Request"), frame);
        }

        ObjectNode collected = payloads.collectDefinitions("$defs");
        Map<String, com.fasterxml.jackson.databind.JsonNode> defs = new TreeMap<>();
        Map<String, com.fasterxml.jackson.databind.JsonNode> nullableVariants = new LinkedHashMap<>();
        collected.properties().forEach(entry -> {
            if (entry.getKey().endsWith(NULLABLE_SUFFIX)) {
                nullableVariants.put(DEFS + entry.getKey(), entry.getValue());
            } else {
                defs.put(entry.getKey(), entry.getValue());
            }
        });
        defs.putAll(frames);
        defs.putAll(requests);
        ObjectNode clientRequest = object();
        clientRequest.remove("type");
        ArrayNode requestRefs = clientRequest.putArray("oneOf");
        requests.keySet().forEach(name -> requestRefs.addObject().put("$ref", DEFS + name));
        defs.put("ClientRequest", clientRequest);

        ObjectNode document = NODES.objectNode();
        document.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        document.put("$id", "https://confab.app/protocol/events.schema.json");
        document.put("title", "ServerFrame");
        document.put("description", "Every frame the Confab server sends over WebSocket (and in GET /api/events). "
                + "Generated from app.confab.protocol; see docs/PROTOCOL.md.");
        ArrayNode oneOf = document.putArray("oneOf");
        frames.keySet().forEach(name -> oneOf.addObject().put("$ref", DEFS + name));
        ObjectNode defsNode = document.putObject("$defs");
        defs.forEach(defsNode::set);
        inlineNullableVariants(document, nullableVariants);
        return document;
    }

    /**
     * victools names a nullable reference {@code X-nullable}, a definition of its own; type
     * generators make odd names of those, so each use becomes the inline {@code anyOf [null, X]}.
     */
    private static void inlineNullableVariants(com.fasterxml.jackson.databind.JsonNode node,
                                               Map<String, com.fasterxml.jackson.databind.JsonNode> variants) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> child : new ArrayList<>(object.properties())) {
                com.fasterxml.jackson.databind.JsonNode value = child.getValue();
                com.fasterxml.jackson.databind.JsonNode ref = value.get("$ref");
                if (value.isObject() && value.size() == 1 && ref != null && variants.containsKey(ref.asText())) {
                    object.set(child.getKey(), variants.get(ref.asText()).deepCopy());
                } else {
                    inlineNullableVariants(value, variants);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                com.fasterxml.jackson.databind.JsonNode value = array.get(i);
                com.fasterxml.jackson.databind.JsonNode ref = value.get("$ref");
                if (value.isObject() && value.size() == 1 && ref != null && variants.containsKey(ref.asText())) {
                    array.set(i, variants.get(ref.asText()).deepCopy());
                } else {
                    inlineNullableVariants(value, variants);
                }
            }
        }
    }

    /** {@code message:new} -> {@code MessageNewFrame}. */
    public static String frameName(String type, String suffix) {
        StringBuilder name = new StringBuilder();
        for (String part : type.split("[:_-]")) {
            if (part.isEmpty()) {
                continue;
            }
            name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return name.append(suffix).toString();
    }

    /** The record itself, or what its {@code @JsonValue} accessor returns (message:new is the message). */
    private static Type dataType(Class<?> event) {
        return Arrays.stream(event.getMethods())
                .filter(method -> method.isAnnotationPresent(JsonValue.class))
                .map(Method::getGenericReturnType)
                .findFirst()
                .orElse(event);
    }

    private static ObjectNode frame(String type, ObjectNode data) {
        ObjectNode frame = object();
        ObjectNode properties = frame.putObject("properties");
        properties.putObject("type").put("const", type);
        ArrayNode required = frame.putArray("required").add("type");
        if (data != null) {
            properties.set("data", data);
            required.add("data");
        }
        frame.put("additionalProperties", false);
        return frame;
    }

    private static ObjectNode requestId(boolean nullable) {
        ObjectNode id = NODES.objectNode();
        ArrayNode types = id.putArray("type").add("string").add("integer");
        if (nullable) {
            types.add("null");
        }
        return id;
    }

    private static ObjectNode object() {
        ObjectNode node = NODES.objectNode();
        node.put("type", "object");
        return node;
    }

    private static SchemaGenerator generator() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON)
                .with(new JacksonModule(JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE,
                        JacksonOption.RESPECT_JSONPROPERTY_REQUIRED))
                .with(Option.DEFINITIONS_FOR_ALL_OBJECTS, Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT,
                        Option.NULLABLE_FIELDS_BY_DEFAULT)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        config.forTypesInGeneral()
                .withDefinitionNamingStrategy((key, context) -> {
                    Class<?> type = key.getType().getErasedType();
                    return Request.class.isAssignableFrom(type) ? type.getSimpleName() + "RequestData"
                            : type.getSimpleName();
                })
                .withCustomDefinitionProvider((javaType, context) -> {
                    Class<?> type = javaType.getErasedType();
                    if (tools.jackson.databind.JsonNode.class.isAssignableFrom(type)) {
                        // Free-form JSON (message metadata): an object on the wire.
                        return new CustomDefinition(object(), CustomDefinition.DefinitionType.INLINE,
                                CustomDefinition.AttributeInclusion.NO);
                    }
                    if (type == ErrorCode.class) {
                        ObjectNode codes = NODES.objectNode().put("type", "string");
                        ArrayNode values = codes.putArray("enum");
                        Arrays.stream(ErrorCode.values()).forEach(code -> values.add(code.name()));
                        return new CustomDefinition(codes, CustomDefinition.DefinitionType.INLINE,
                                CustomDefinition.AttributeInclusion.NO);
                    }
                    return null;
                });
        config.forFields()
                .withRequiredCheck(ProtocolSchema::alwaysWritten)
                .withNullableCheck(ProtocolSchema::nullable)
                .withEnumResolver(ProtocolSchema::closedSet);
        return new SchemaGenerator(config.build());
    }

    private static boolean alwaysWritten(FieldScope field) {
        if (Request.class.isAssignableFrom(field.getDeclaringType().getErasedType())) {
            return false;
        }
        JsonInclude include = field.getAnnotationConsideringFieldAndGetter(JsonInclude.class);
        if (include == null) {
            include = field.getDeclaringType().getErasedType().getAnnotation(JsonInclude.class);
        }
        return include == null || include.value() == JsonInclude.Include.ALWAYS;
    }

    /**
     * String fields whose values form a closed set, for which the views keep a String (the column's
     * text) rather than a Java enum: listed here so the schema, and the client's types, name the set.
     */
    private static final Map<String, List<String>> CLOSED_SETS = Map.of(
            "ChatView.type", List.of("direct", "group"),
            "ContactView.status", List.of("pending", "accepted", "blocked"),
            "ContactView.direction", List.of("outgoing", "incoming"),
            "AttachmentView.kind", List.of("image", "file"),
            "CallEnded.outcome", List.of("missed", "unavailable", "declined", "ended"));

    /** Fields the server always fills in although their Java type could hold null. */
    private static final Set<String> NEVER_NULL = Set.of("ParticipantView.role", "ParticipantJoined.role",
            "RoleChange.role", "ContactView.direction", "AttachmentView.fileName", "AttachmentView.fileType",
            "AttachmentView.kind",
            "AttachmentView.url", "ParticipantView.user", "ParticipantView.joinedAt", "ParticipantJoined.user",
            "ContactView.user", "ContactRequested.contact", "ContactAccepted.contact", "ContactBlocked.contact",
            "ReactionAdded.reaction", "ChatUpdated.updates", "ChatView.updatedAt", "MessageEdited.editedAt",
            "MessageRead.readAt", "MessageDelivered.deliveredAt",
            "CallInvited.ringUntil", "CallOffered.sdp", "CallAnswered.sdp", "CallIceCandidate.candidate", "CallEnded.outcome");

    private static String qualifiedName(FieldScope field) {
        return field.getDeclaringType().getErasedType().getSimpleName() + "." + field.getName();
    }

    private static List<String> closedSet(FieldScope field) {
        return CLOSED_SETS.get(qualifiedName(field));
    }

    private static boolean nullable(FieldScope field) {
        if (NEVER_NULL.contains(qualifiedName(field))) {
            return false;
        }
        Class<?> type = field.getType().getErasedType();
        if (type.isPrimitive()) {
            return false;
        }
        if (Request.class.isAssignableFrom(field.getDeclaringType().getErasedType()) || type == Optional.class) {
            return true;
        }
        return !(List.class.isAssignableFrom(type) || ALWAYS_SET.contains(field.getName()));
    }

    static List<String> frameTypes() {
        List<String> types = new ArrayList<>();
        Event.catalogue().forEach(event -> types.add(Event.typeOf(event)));
        types.addAll(List.of("ready", "resync", "ack", "error", "pong"));
        return types;
    }
}
