package app.confab.attachment;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiskObjectStoreTest extends ObjectStoreContract {

    @TempDir
    Path directory;

    private DiskObjectStore store;

    @BeforeEach
    void createStore() throws Exception {
        store = new DiskObjectStore(directory.resolve("files"));
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Test
    void storedFilesAndTheirDirectoriesAreReadableByTheServerUserOnly() throws Exception {
        store.put("ab/abc/original.png", new byte[]{1, 2, 3}, "image/png");
        assertThat(mode(directory.resolve("files/ab/abc/original.png"))).isEqualTo("rw-------");
        assertThat(mode(directory.resolve("files/ab/abc"))).isEqualTo("rwx------");
        assertThat(mode(directory.resolve("files/ab"))).isEqualTo("rwx------");
        assertThat(mode(directory.resolve("files"))).isEqualTo("rwx------");
    }

    private static String mode(Path path) throws Exception {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void keysCannotEscapeTheDirectory() {
        assertThatThrownBy(() -> store.put("../outside", new byte[]{1}, "image/png")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.open("/etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.exists(directory.resolve("outside"))).isFalse();
    }

    @Test
    void deletingTheLastObjectOfAnAttachmentLeavesNoEmptyDirectory() throws Exception {
        store.put("ab/abc/original.png", new byte[]{1}, "image/png");
        store.delete("ab/abc/original.png");
        assertThat(Files.exists(directory.resolve("files/ab/abc"))).isFalse();
        assertThat(Files.isDirectory(directory.resolve("files"))).isTrue();
    }

    @Test
    void notReachableWhenItsDirectoryIsGone() throws Exception {
        Files.delete(directory.resolve("files"));
        assertThat(store.isReachable()).isFalse();
    }
}
