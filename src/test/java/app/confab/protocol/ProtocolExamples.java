package app.confab.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import app.confab.support.Api;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;

/** The JSON examples of a Markdown document: every {@code ```json} block, each holding one or more frames. */
final class ProtocolExamples {

    private static final Pattern BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);
    private static final Set<String> REPLIES = Set.of("ack", "error", "pong", "ready");

    private ProtocolExamples() {
    }

    static List<JsonNode> jsonBlocks(String markdown, List<String> problems) {
        List<JsonNode> frames = new ArrayList<>();
        Matcher block = BLOCK.matcher(markdown);
        while (block.find()) {
            try (MappingIterator<JsonNode> values = Api.json().readerFor(JsonNode.class).readValues(block.group(1))) {
                while (values.hasNext()) {
                    frames.add(values.next());
                }
            } catch (JacksonException e) {
                problems.add("not JSON: " + block.group(1).strip() + " (" + e.getOriginalMessage() + ")");
            }
        }
        return frames;
    }

    /** Client requests carry an {@code id} (auth and ping may not); server events never do. */
    static boolean isRequest(JsonNode frame) {
        String type = frame.path("type").asString();
        return "auth".equals(type) || "ping".equals(type) || (frame.has("id") && !REPLIES.contains(type));
    }
}
