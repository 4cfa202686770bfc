package app.confab.platform;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code build_info{version, java_version} 1}: which build each node runs, so a dashboard can show
 * a rollout's progress and an alert can join on version. The version is the jar's
 * (META-INF/build-info.properties, written by the build), or "dev" when run from classes without it.
 */
@Component
public class BuildInfoMetrics {

    public BuildInfoMetrics(MeterRegistry registry, ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        String version = properties != null && properties.getVersion() != null ? properties.getVersion() : "dev";
        Gauge.builder("build.info", () -> 1)
                .description("The running build: version and Java runtime (value is always 1)")
                .tag("version", version)
                .tag("java_version", Runtime.version().feature() + "")
                .register(registry);
    }
}
