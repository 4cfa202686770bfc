package app.confab.attachment;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import app.confab.platform.ConfabProperties;
import app.confab.platform.DependencyCheck;
import app.confab.platform.Metrics;

/** Picks the object store from the environment and reports it to readiness as "storage". */
@Configuration(proxyBeanMethods = false)
class StorageConfig {

    private static final Logger log = LoggerFactory.getLogger(StorageConfig.class);

    @Bean
    ObjectStore objectStore(StorageProperties storage, ConfabProperties confab, Metrics metrics) throws IOException {
        return new CountingObjectStore(chooseStore(storage, confab), metrics);
    }

    private static ObjectStore chooseStore(StorageProperties storage, ConfabProperties confab) throws IOException {
        if (storage.usesS3()) {
            S3ObjectStore store = new S3ObjectStore(storage);
            store.ensureBucket();
            log.info("Attachments are stored in bucket {} at {}", storage.s3Bucket(), storage.s3Endpoint());
            return store;
        }
        var directory = confab.dataDir().resolve("files");
        log.info("Attachments are stored in {}", directory.toAbsolutePath());
        return new DiskObjectStore(directory);
    }

    @Bean
    DependencyCheck storageCheck(ObjectStore store) {
        return new DependencyCheck() {
            @Override
            public String name() {
                return "storage";
            }

            @Override
            public boolean isHealthy() {
                return store.isReachable();
            }
        };
    }
}
