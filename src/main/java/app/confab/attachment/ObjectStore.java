package app.confab.attachment;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where image bytes live: the data directory by default, an S3-compatible bucket when configured.
 * Objects are immutable — a key is written once and never changed, only deleted — which is what
 * lets every response be cached for as long as the browser likes.
 */
interface ObjectStore {

    /** Stores an object under a new key. */
    void put(String key, byte[] content, String contentType) throws IOException;

    /** Opens an object for reading; empty when there is no such key. The caller closes the stream. */
    Optional<StoredObject> open(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /** Removes the object; removing a missing key is not an error. */
    void delete(String key) throws IOException;

    /** Whether the store answers (readiness): a cheap round trip, no data. */
    boolean isReachable();

    /** A short name for logs and readiness: "disk" or "s3". */
    String kind();

    record StoredObject(long size, InputStream content) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            content.close();
        }
    }
}
