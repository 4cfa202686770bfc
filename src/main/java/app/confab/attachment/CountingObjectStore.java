package app.confab.attachment;

import java.io.IOException;
import java.util.Optional;

import app.confab.platform.Metrics;

/**
 * Counts failed store operations into {@code storage_errors_total}, so an alert sees a failing disk
 * or bucket, and times every operation into {@code storage_operation_duration_seconds{operation, kind, outcome}}.
 */
final class CountingObjectStore implements ObjectStore, AutoCloseable {

    private final ObjectStore delegate;
    private final Metrics metrics;

    CountingObjectStore(ObjectStore delegate, Metrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public void put(String key, byte[] content, String contentType) throws IOException {
        long started = System.nanoTime();
        String outcome = "error";
        try {
            delegate.put(key, content, contentType);
            outcome = "success";
        } catch (IOException | RuntimeException e) {
            metrics.storageError("put");
            throw e;
        } finally {
            metrics.storageOperation("put", delegate.kind(), outcome, System.nanoTime() - started);
        }
    }

    @Override
    public Optional<StoredObject> open(String key) throws IOException {
        long started = System.nanoTime();
        String outcome = "error";
        try {
            var result = delegate.open(key);
            outcome = "success";
            return result;
        } catch (IOException | RuntimeException e) {
            metrics.storageError("get");
            throw e;
        } finally {
            metrics.storageOperation("get", delegate.kind(), outcome, System.nanoTime() - started);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        long started = System.nanoTime();
        String outcome = "error";
        try {
            var result = delegate.exists(key);
            outcome = "success";
            return result;
        } catch (IOException | RuntimeException e) {
            metrics.storageError("get");
            throw e;
        } finally {
            metrics.storageOperation("get", delegate.kind(), outcome, System.nanoTime() - started);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        long started = System.nanoTime();
        String outcome = "error";
        try {
            delegate.delete(key);
            outcome = "success";
        } catch (IOException | RuntimeException e) {
            metrics.storageError("delete");
            throw e;
        } finally {
            metrics.storageOperation("delete", delegate.kind(), outcome, System.nanoTime() - started);
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
