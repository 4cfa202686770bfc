package app.confab.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import app.confab.platform.ApiException.FieldError;
import app.confab.platform.SafeText;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rules for what a message may contain (docs/subsystems/formatting.md): at most 10,000 characters,
 * not blank unless the message carries attachments, HTML escaped on write, and metadata reduced
 * to validated {@code formatting} ranges.
 */
final class MessageContent {

    static final int MAX_CHARS = 10_000;
    static final int MAX_RANGES_PER_STYLE = 1_000;
    static final Set<String> CONTENT_TYPES = Set.of("text", "image");
    static final List<String> STYLES = List.of("bold", "italic");

    /** Content as stored (escaped), its type, and the metadata that survived validation. */
    record Checked(String content, String contentType, ObjectNode metadata) {
    }

    private MessageContent() {
    }

    /**
     * Checks a message body, adding every problem to {@code errors}; the result is meaningful only
     * when no error was added.
     */
    static Checked check(String content, String contentType, JsonNode metadata, boolean hasAttachments,
                         List<FieldError> errors) {
        String raw = SafeText.clean(content == null ? "" : content);
        if (SafeText.length(raw) > MAX_CHARS) {
            errors.add(new FieldError("content", "Content must be at most " + MAX_CHARS + " characters"));
        } else if (raw.isBlank() && !hasAttachments) {
            errors.add(new FieldError("content", "Content is required unless the message has attachments"));
        }
        String type = contentType == null || contentType.isBlank() ? "text" : contentType;
        if (!CONTENT_TYPES.contains(type)) {
            errors.add(new FieldError("contentType", "Content type must be one of " + CONTENT_TYPES));
        } else if (type.equals("image") && !hasAttachments) {
            errors.add(new FieldError("contentType", "An image message needs attachments"));
        }
        if (hasAttachments) {
            // A message that carries images is an image message, whatever the client called it.
            type = "image";
        }
        ObjectNode checkedMetadata = metadata(metadata, raw.length(), errors);
        return new Checked(SafeText.escape(raw), type, checkedMetadata);
    }

    /** Keeps only {@code formatting}, with ranges bounds-checked against the typed text. */
    static ObjectNode metadata(JsonNode metadata, int textLength, List<FieldError> errors) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        if (metadata == null || metadata.isNull() || metadata.isMissingNode()) {
            return result;
        }
        if (!metadata.isObject()) {
            errors.add(new FieldError("metadata", "Metadata must be an object"));
            return result;
        }
        JsonNode formatting = metadata.get("formatting");
        if (formatting == null || formatting.isNull()) {
            return result;
        }
        if (!formatting.isObject()) {
            errors.add(new FieldError("metadata.formatting", "Formatting must be an object"));
            return result;
        }
        ObjectNode checkedFormatting = JsonNodeFactory.instance.objectNode();
        for (String style : STYLES) {
            JsonNode ranges = formatting.get(style);
            if (ranges == null || ranges.isNull()) {
                continue;
            }
            String field = "metadata.formatting." + style;
            if (!ranges.isArray()) {
                errors.add(new FieldError(field, "Must be a list of [start, end] ranges"));
                continue;
            }
            if (ranges.size() > MAX_RANGES_PER_STYLE) {
                errors.add(new FieldError(field, "At most " + MAX_RANGES_PER_STYLE + " ranges"));
                continue;
            }
            ArrayNode checkedRanges = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < ranges.size(); i++) {
                JsonNode range = ranges.get(i);
                String rangeField = field + "[" + i + "]";
                if (!range.isArray() || range.size() != 2 || !isInt(range.get(0)) || !isInt(range.get(1))) {
                    errors.add(new FieldError(rangeField, "A range is [start, end] with whole numbers"));
                    continue;
                }
                int start = range.get(0).intValue();
                int end = range.get(1).intValue();
                if (start < 0 || end <= start || end > textLength) {
                    errors.add(new FieldError(rangeField,
                            "Range must satisfy 0 <= start < end <= " + textLength + " (the content length)"));
                    continue;
                }
                checkedRanges.add(JsonNodeFactory.instance.arrayNode().add(start).add(end));
            }
            if (!checkedRanges.isEmpty()) {
                checkedFormatting.set(style, checkedRanges);
            }
        }
        if (!checkedFormatting.isEmpty()) {
            result.set("formatting", checkedFormatting);
        }
        return result;
    }

    private static boolean isInt(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToInt();
    }

    /** A reaction is a short emoji sequence (one or a few emoji, with modifiers), never words. */
    static boolean isEmoji(String text) {
        if (text == null || text.isEmpty() || text.length() > 32) {
            return false;
        }
        boolean pictograph = false;
        int codePoints = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (++codePoints > 16) {
                return false;
            }
            if (!Character.isEmoji(cp) && !Character.isEmojiComponent(cp)) {
                return false;
            }
            if (Character.isExtendedPictographic(cp) || Character.isEmojiPresentation(cp) || cp == 0x20E3) {
                pictograph = true;
            }
        }
        return pictograph;
    }

    static List<FieldError> errors() {
        return new ArrayList<>();
    }
}
