package app.confab.attachment;

import java.io.IOException;
import java.util.Optional;

import app.confab.platform.Metrics;

/** Counts failed store operations into {@code storage_errors_total}, so an alert sees a failing disk or bucket. */
final class CountingObjectStore implements ObjectStore, AutoCloseable {

    private final ObjectStore delegate;
    private final Metrics metrics;

    CountingObjectStore(ObjectStore delegate, Metrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public void put(String key, byte[] content, String contentType) throws IOException {
        try {
            delegate.put(key, content, contentType);
        } catch (IOException | RuntimeException e) {
            metrics.storageError("put");
            throw e;
        }
    }

    @Override
    public Optional<StoredObject> open(String key) throws IOException {
        try {
            return delegate.open(key);
        } catch (IOException | RuntimeException e) {
            metrics.storageError("get");
            throw e;
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        try {
            return delegate.exists(key);
        } catch (IOException | RuntimeException e) {
            metrics.storageError("get");
            throw e;
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            delegate.delete(key);
        } catch (IOException | RuntimeException e) {
            metrics.storageError("delete");
            throw e;
        }
    }

    @Override
    public boolean isReachable() {
        return delegate.isReachable();
    }

    @Override
    public String kind() {
        return delegate.kind();
    }

    /** Closes the underlying client (the S3 store holds connections); the context calls this on shutdown. */
    @Override
    public void close() throws Exception {
        if (delegate instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
