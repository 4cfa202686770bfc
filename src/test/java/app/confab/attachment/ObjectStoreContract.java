package app.confab.attachment;

import java.io.InputStream;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link ObjectStore} must do; run against the disk store and a real S3 server. */
abstract class ObjectStoreContract {

    protected abstract ObjectStore store();

    private static String newKey(String name) {
        UUID id = UUID.randomUUID();
        return id.toString().substring(0, 2) + "/" + id + "/" + name;
    }

    @Test
    void storedBytesReadBackExactly() throws Exception {
        String key = newKey("original.jpg");
        byte[] content = TestImages.jpeg(640, 480);

        store().put(key, content, "image/jpeg");

        Optional<ObjectStore.StoredObject> opened = store().open(key);
        assertThat(opened).isPresent();
        try (ObjectStore.StoredObject object = opened.get(); InputStream in = object.content()) {
            assertThat(object.size()).isEqualTo(content.length);
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(store().exists(key)).isTrue();
    }

    @Test
    void emptyObjectsAreObjectsToo() throws Exception {
        String key = newKey("empty");
        store().put(key, new byte[0], "application/octet-stream");
        try (ObjectStore.StoredObject object = store().open(key).orElseThrow()) {
            assertThat(object.size()).isZero();
            assertThat(object.content().readAllBytes()).isEmpty();
        }
    }

    @Test
    void missingKeysAreEmptyNotErrors() throws Exception {
        String key = newKey("never-written.png");
        assertThat(store().open(key)).isEmpty();
        assertThat(store().exists(key)).isFalse();
        store().delete(key);
    }

    @Test
    void deleteRemovesOnlyThatObjectAndIsIdempotent() throws Exception {
        String key = newKey("medium.jpg");
        String sibling = key.replace("medium.jpg", "thumbnail.jpg");
        store().put(key, new byte[]{1, 2, 3}, "image/jpeg");
        store().put(sibling, new byte[]{4, 5}, "image/jpeg");

        store().delete(key);
        store().delete(key);

        assertThat(store().exists(key)).isFalse();
        assertThat(store().open(key)).isEmpty();
        try (ObjectStore.StoredObject object = store().open(sibling).orElseThrow()) {
            assertThat(object.content().readAllBytes()).containsExactly(4, 5);
        }
    }

    @Test
    void concurrentWritersOfDifferentKeysDoNotInterfere() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> writes = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                byte[] content = ("object " + i).getBytes();
                writes.add(pool.submit(() -> {
                    String key = newKey("original.png");
                    store().put(key, content, "image/png");
                    return key;
                }));
            }
            for (int i = 0; i < writes.size(); i++) {
                try (ObjectStore.StoredObject object = store().open(writes.get(i).get()).orElseThrow()) {
                    assertThat(new String(object.content().readAllBytes())).isEqualTo("object " + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reportsItselfReachable() {
        assertThat(store().isReachable()).isTrue();
    }
}
