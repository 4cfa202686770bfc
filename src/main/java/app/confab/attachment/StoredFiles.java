package app.confab.attachment;

import java.io.IOException;
import java.io.OutputStream;

/** Read access to stored objects by key, for data exports. */
public interface StoredFiles {

    /** Copies the object to {@code out}; false when it is missing. */
    boolean copyStored(String storageKey, OutputStream out) throws IOException;
}
