package app.confab.platform;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Liveness ({@code /health}: the process answers) and readiness ({@code /health/ready}: every
 * dependency answers) as seed §11.1. Each dependency contributes a {@link DependencyCheck}.
 * A draining node ({@link NodeDrain}) is not ready whatever its dependencies say.
 */
@RestController
public class HealthController {

    private final List<DependencyCheck> checks;
    private final NodeDrain drain;
    private final String version;

    public HealthController(List<DependencyCheck> checks, NodeDrain drain) {
        this.checks = checks;
        this.drain = drain;
        String implementationVersion = HealthController.class.getPackage().getImplementationVersion();
        this.version = implementationVersion != null ? implementationVersion : "dev";
    }

    @GetMapping("/health")
    Map<String, Object> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("timestamp", Instant.now());
        body.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        body.put("version", version);
        return body;
    }

    @GetMapping("/health/ready")
    ResponseEntity<Map<String, Object>> ready() {
        Map<String, String> services = new LinkedHashMap<>();
        boolean allOk = true;
        for (DependencyCheck check : checks) {
            boolean ok = DependencyMetrics.healthy(check) == 1;
            services.put(check.name(), ok ? "ok" : "error");
            allOk &= ok || !check.critical();
        }
        boolean draining = drain.isDraining();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", draining ? "draining" : allOk ? "ok" : "degraded");
        body.put("timestamp", Instant.now());
        body.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        body.put("version", version);
        body.put("services", services);
        return ResponseEntity.status(allOk && !draining ? 200 : 503).body(body);
    }
}
