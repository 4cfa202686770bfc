package app.confab.attachment;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import app.confab.platform.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every storage operation is timed by operation, store kind and outcome (storage_operation_duration_seconds). */
class StorageLatencyTest {

    @Test
    void putGetAndDeleteAreTimedWithTheirOutcome(@TempDir Path root) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CountingObjectStore store = new CountingObjectStore(new DiskObjectStore(root), new Metrics(registry));

        store.put("a/b", new byte[] {1, 2, 3}, "image/png");
        assertThat(store.open("a/b")).isPresent();
        store.delete("a/b");

        assertThat(timer(registry, "put", "success").count()).isEqualTo(1);
        assertThat(timer(registry, "get", "success").count()).isEqualTo(1);
        assertThat(timer(registry, "delete", "success").count()).isEqualTo(1);

        Files.writeString(root.resolve("blocked"), "a file where a directory must go");
        assertThatThrownBy(() -> store.put("blocked/x", new byte[] {1}, "image/png")).isInstanceOf(Exception.class);
        assertThat(timer(registry, "put", "error").count()).isEqualTo(1);
    }

    private static Timer timer(SimpleMeterRegistry registry, String operation, String outcome) {
        Timer timer = registry.find("storage.operation.duration")
                .tags("operation", operation, "kind", "disk", "outcome", outcome).timer();
        assertThat(timer).as(operation + " " + outcome).isNotNull();
        return timer;
    }
}
