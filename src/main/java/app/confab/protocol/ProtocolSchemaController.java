package app.confab.protocol;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Serves the protocol's JSON Schema (docs/protocol/events.schema.json), generated once from the records. */
@RestController
class ProtocolSchemaController {

    static final MediaType SCHEMA_JSON = MediaType.parseMediaType("application/schema+json");

    private volatile String schema;

    @GetMapping("/api/protocol/schema")
    ResponseEntity<String> schema() {
        String current = schema;
        if (current == null) {
            current = ProtocolSchema.generate();
            schema = current;
        }
        return ResponseEntity.ok().contentType(SCHEMA_JSON).body(current);
    }
}
