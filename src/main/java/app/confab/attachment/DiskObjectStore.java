package app.confab.attachment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Objects as files under one directory; a key's slashes become subdirectories. A file is written to
 * a temporary name and moved into place, so a reader never sees half an object. Files are 0600 and
 * directories 0700 (where the file system has POSIX permissions): only the server's user reads them.
 */
class DiskObjectStore implements ObjectStore {

    private final Path root;

    DiskObjectStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
        // Also closes a root made by an older version (0755); its older files sit behind it.
        restrict(this.root, DIRECTORY);
    }

    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException notPosix) {
            // The directory's ACLs apply.
        }
    }

    private void createDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        createDirectories(directory.getParent());
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // Another upload made it first.
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(directory);
        }
    }

    @Override
    public void put(String key, byte[] content, String contentType) throws IOException {
        Path target = resolve(key);
        createDirectories(target.getParent());
        Path temporary = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(FILE));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(temporary);
            }
            Files.write(temporary, content);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Override
    public Optional<StoredObject> open(String key) throws IOException {
        Path file = resolve(key);
        try {
            long size = Files.size(file);
            InputStream content = Files.newInputStream(file);
            return Optional.of(new StoredObject(size, content));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public void delete(String key) throws IOException {
        Path file = resolve(key);
        Files.deleteIfExists(file);
        // Leave no empty per-object directories behind; a concurrent writer may refill one, so stop quietly.
        Path directory = file.getParent();
        while (directory != null && !directory.equals(root)) {
            try {
                Files.delete(directory);
            } catch (IOException e) {
                break;
            }
            directory = directory.getParent();
        }
    }

    @Override
    public boolean isReachable() {
        return Files.isDirectory(root) && Files.isWritable(root);
    }

    @Override
    public String kind() {
        return "disk";
    }

    private Path resolve(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.contains("..")) {
            throw new IllegalArgumentException("Invalid object key: " + key);
        }
        Path file = root.resolve(key).normalize();
        if (!file.startsWith(root)) {
            throw new IllegalArgumentException("Invalid object key: " + key);
        }
        return file;
    }
}
