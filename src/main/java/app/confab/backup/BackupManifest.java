package app.confab.backup;

import java.util.List;

/**
 * The archive's table of contents, its last entry: what made it, from which schema version, and a
 * SHA-256 for every other entry, so a restore checks the whole archive before it touches anything.
 */
public record BackupManifest(
        String format,
        int formatVersion,
        String createdAt,
        String confabVersion,
        String schemaVersion,
        String postgresServerVersion,
        String pgDumpVersion,
        Entry database,
        Storage storage,
        List<Entry> files) {

    public static final String FORMAT = "confab-backup";
    public static final int FORMAT_VERSION = 1;
    public static final String MANIFEST_ENTRY = "manifest.json";
    public static final String DATABASE_ENTRY = "database.dump";
    public static final String FILES_PREFIX = "files/";

    /** One entry of the archive: its name, size and SHA-256 (hex). */
    public record Entry(String name, long bytes, String sha256) {
    }

    /**
     * Where the stored files were: {@code disk} (they are in the archive) or {@code s3} (they are
     * not: the bucket is backed up by the operator, e.g. {@code rclone sync} or {@code mc mirror}).
     */
    public record Storage(String kind, String location, int fileCount, long bytes, String note) {
    }
}
