package app.confab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The checked-in schema is what the records generate. After changing an event or request record,
 * rewrite it with {@code -Dconfab.refreshSchema=true} and commit the file.
 */
class ProtocolSchemaTest {

    static final Path SCHEMA_FILE = Path.of("docs/protocol/events.schema.json");

    @Test
    void checkedInSchemaIsWhatTheRecordsGenerate() throws IOException {
        String generated = ProtocolSchema.generate();
        if (Boolean.getBoolean("confab.refreshSchema")) {
            Files.createDirectories(SCHEMA_FILE.getParent());
            Files.writeString(SCHEMA_FILE, generated, StandardCharsets.UTF_8);
        }
        assertThat(SCHEMA_FILE).exists();
        assertThat(Files.readString(SCHEMA_FILE, StandardCharsets.UTF_8))
                .as("docs/protocol/events.schema.json is stale: run this test with -Dconfab.refreshSchema=true")
                .isEqualTo(generated);
    }

    @Test
    void everyFrameAndRequestHasItsDefinition() {
        var document = ProtocolSchema.document();
        var defs = document.get("$defs");
        for (String type : ProtocolSchema.frameTypes()) {
            String name = ProtocolSchema.frameName(type, "Frame");
            assertThat(defs.has(name)).as(name).isTrue();
            assertThat(defs.get(name).at("/properties/type/const").asText()).isEqualTo(type);
        }
        for (Class<? extends Request> request : Request.catalogue()) {
            assertThat(defs.has(ProtocolSchema.frameName(Request.typeOf(request), "Request"))).isTrue();
        }
        assertThat(defs.get("MessageNewFrame").at("/properties/data/$ref").asText()).isEqualTo("#/$defs/MessageView");
        assertThat(defs.get("TypingStartFrame").at("/required").toString()).doesNotContain("cursor");
        assertThat(defs.get("MessageNewFrame").at("/required").toString()).contains("cursor");
    }
}
