package app.confab.platform;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code dependency_up{dependency}}: 1 while a readiness check passes, so alerts can name what is down. */
@Component
class DependencyMetrics {

    DependencyMetrics(DependencyChecks checks, MeterRegistry registry) {
        for (DependencyCheck check : checks.all()) {
            Gauge.builder("dependency.up", check, dependency -> checks.run(dependency) ? 1 : 0)
                    .description("1 when the dependency answers this node's readiness check")
                    .tag("dependency", check.name())
                    .register(registry);
        }
    }
}
