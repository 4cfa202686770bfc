package app.confab.platform;

import java.util.List;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code dependency_up{dependency}}: 1 while a readiness check passes, so alerts can name what is down. */
@Component
class DependencyMetrics {

    DependencyMetrics(List<DependencyCheck> checks, MeterRegistry registry) {
        for (DependencyCheck check : checks) {
            Gauge.builder("dependency.up", check, DependencyMetrics::healthy)
                    .description("1 when the dependency answers this node's readiness check")
                    .tag("dependency", check.name())
                    .register(registry);
        }
    }

    static double healthy(DependencyCheck check) {
        try {
            return check.isHealthy() ? 1 : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
