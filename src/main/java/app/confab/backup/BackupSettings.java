package app.confab.backup;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the backup and restore verbs work on, read from the same environment variables as the
 * server (docs/OPERATIONS.md, "Configuration"): {@code DATA_DIR}, {@code DATABASE_URL}, {@code S3_ENDPOINT}/{@code S3_BUCKET}.
 */
public record BackupSettings(Path dataDir, String databaseUrl, String s3Endpoint, String s3Bucket,
                             Map<String, String> environment) {

    public static BackupSettings from(Map<String, String> environment) {
        String dataDir = environment.getOrDefault("DATA_DIR", "./data");
        return new BackupSettings(Path.of(dataDir.isBlank() ? "./data" : dataDir).toAbsolutePath().normalize(),
                blankToNull(environment.get("DATABASE_URL")),
                blankToNull(environment.get("S3_ENDPOINT")),
                blankToNull(environment.get("S3_BUCKET")),
                environment);
    }

    public boolean externalDatabase() {
        return databaseUrl != null;
    }

    /** Files are in S3 when an endpoint and a bucket are configured (as StorageConfig decides), on disk otherwise. */
    public boolean s3Storage() {
        return s3Endpoint != null && s3Bucket != null;
    }

    public Path filesDir() {
        return dataDir.resolve("files");
    }

    public Path embeddedClusterDir() {
        return dataDir.resolve("postgres");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
