package app.confab.attachment;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Objects in one bucket of any S3-compatible store (AWS, MinIO, Ceph, Garage, ...), addressed
 * path-style so no per-bucket DNS is needed. Checksums are sent only where the API requires them:
 * newer AWS defaults (trailing CRC checksums) are not understood by every S3-compatible server.
 */
class S3ObjectStore implements ObjectStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);

    private final S3Client client;
    private final String bucket;

    S3ObjectStore(StorageProperties properties) {
        this.bucket = properties.s3Bucket();
        AwsCredentialsProvider credentials = properties.s3AccessKey() == null || properties.s3AccessKey().isBlank()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(properties.s3AccessKey(), properties.s3SecretKey()));
        String region = properties.s3Region() == null || properties.s3Region().isBlank() ? "us-east-1" : properties.s3Region();
        this.client = S3Client.builder()
                .endpointOverride(URI.create(properties.s3Endpoint()))
                .forcePathStyle(true)
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(64)
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)))
                .build();
    }

    /** Creates the bucket when it does not exist yet (convenient for a fresh MinIO); failure is only logged. */
    void ensureBucket() {
        try {
            client.headBucket(request -> request.bucket(bucket));
        } catch (NoSuchBucketException e) {
            createBucket();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                createBucket();
            } else {
                log.warn("Storage bucket {} is not accessible: {}", bucket, e.getMessage());
            }
        } catch (SdkException e) {
            log.warn("Storage at the S3 endpoint is not reachable: {}", e.getMessage());
        }
    }

    private void createBucket() {
        try {
            client.createBucket(request -> request.bucket(bucket));
            log.info("Created storage bucket {}", bucket);
        } catch (SdkException e) {
            log.warn("Could not create storage bucket {}: {}", bucket, e.getMessage());
        }
    }

    @Override
    public void put(String key, byte[] content, String contentType) throws IOException {
        try {
            client.putObject(request -> request.bucket(bucket).key(key).contentType(contentType)
                    .contentLength((long) content.length), RequestBody.fromBytes(content));
        } catch (SdkException e) {
            throw new IOException("Could not store object " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<StoredObject> open(String key) throws IOException {
        try {
            ResponseInputStream<GetObjectResponse> stream = client.getObject(request -> request.bucket(bucket).key(key));
            return Optional.of(new StoredObject(stream.response().contentLength(), stream));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IOException("Could not read object " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        try {
            client.headObject(request -> request.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw new IOException("Could not look up object " + key + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("Could not look up object " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            client.deleteObject(request -> request.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            // Already gone.
        } catch (SdkException e) {
            throw new IOException("Could not delete object " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isReachable() {
        try {
            client.headBucket(request -> request.bucket(bucket));
            return true;
        } catch (SdkException e) {
            return false;
        }
    }

    @Override
    public String kind() {
        return "s3";
    }

    @Override
    public void close() {
        client.close();
    }
}
