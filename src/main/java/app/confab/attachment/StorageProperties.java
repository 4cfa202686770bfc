package app.confab.attachment;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Where attachments are stored: S3_ENDPOINT and S3_BUCKET select an S3-compatible store; otherwise the data directory. */
@ConfigurationProperties(prefix = "confab.storage")
record StorageProperties(
        String s3Endpoint,
        String s3Bucket,
        String s3AccessKey,
        String s3SecretKey,
        String s3Region) {

    boolean usesS3() {
        return s3Endpoint != null && !s3Endpoint.isBlank() && s3Bucket != null && !s3Bucket.isBlank();
    }
}
