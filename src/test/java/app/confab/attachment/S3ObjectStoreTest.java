package app.confab.attachment;

import java.net.URI;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Properties;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import app.confab.platform.ConfabProperties;
import app.confab.platform.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same contract against a real S3 server: S3Proxy (in-memory blob store) listening on a local
 * port, spoken to over HTTP with AWS Signature V4 by the AWS SDK, exactly as in production.
 */
class S3ObjectStoreTest extends ObjectStoreContract {

    private static final String ACCESS_KEY = "confab-test-access";
    private static final String SECRET_KEY = "confab-test-secret-key";

    private static S3Proxy server;
    private static S3ObjectStore store;
    private static String endpoint;

    @BeforeAll
    static void startServer() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.identity", ACCESS_KEY);
        properties.setProperty("jclouds.credential", SECRET_KEY);
        server = S3Proxy.builder()
                .blobStore(BlobStores.create("transient", properties))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        server.start();
        await("S3Proxy started").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> server.getState().equals("STARTED"));
        endpoint = "http://127.0.0.1:" + server.getPort();
        store = new S3ObjectStore(new StorageProperties(endpoint, "confab-test", ACCESS_KEY, SECRET_KEY, null));
        // The bucket does not exist yet: the store creates it, as it does for a fresh MinIO.
        store.ensureBucket();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Test
    void configurationChoosesS3WhenEndpointAndBucketAreSet() throws Exception {
        ConfabProperties confab = new ConfabProperties(Path.of("unused"), null, null, null, null, 0, null, null, null);
        ObjectStore chosen = new StorageConfig().objectStore(
                new StorageProperties(endpoint, "confab-configured", ACCESS_KEY, SECRET_KEY, ""), confab,
                new Metrics(new SimpleMeterRegistry()));
        try {
            assertThat(chosen.kind()).isEqualTo("s3");
            assertThat(chosen.isReachable()).isTrue();
            assertThat(new StorageConfig().storageCheck(chosen).name()).isEqualTo("storage");
        } finally {
            ((AutoCloseable) chosen).close();
        }
    }

    @Test
    void wrongCredentialsAreNotReachable() {
        try (S3ObjectStore impostor = new S3ObjectStore(
                new StorageProperties(endpoint, "confab-test", ACCESS_KEY, "wrong-secret", "us-east-1"))) {
            assertThat(impostor.isReachable()).isFalse();
        }
    }

    @Test
    void aMissingBucketIsNotReachable() {
        try (S3ObjectStore elsewhere = new S3ObjectStore(
                new StorageProperties(endpoint, "no-such-bucket", ACCESS_KEY, SECRET_KEY, null))) {
            assertThat(elsewhere.isReachable()).isFalse();
        }
    }
}
