package app.confab.platform;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.core.env.Environment;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Health as docs/OPERATIONS.md ("Health") describes it: {@code status}, {@code timestamp}, {@code uptime}, {@code environment},
 * {@code version} and {@code services} (one entry per {@link DependencyCheck}: database, Redis,
 * storage, and the read replica when there is one), with {@code status} "degraded" when a critical
 * dependency fails.
 *
 * <p>A single endpoint answering 503 when degraded would restart pods for a database blip, so there
 * are two: {@code /health/ready} answers 503 when degraded (take the node out of the load balancer)
 * or while the node drains before stopping ({@code status} "draining", see {@link NodeDrain}),
 * while {@code /health} — liveness — answers 200 as long as the process can answer at all, without
 * running any check (so without {@code services}), so an orchestrator does not restart every node
 * because the database is down or slow. A non-critical dependency (the replica, which reads fall
 * back from; Redis and storage, reported as "degraded") is reported but never makes the node
 * unready. Checks run through {@link DependencyChecks}, each within a timeout.
 */
@RestController
public class HealthController {

    private final DependencyChecks checks;
    private final NodeDrain drain;
    private final Clock clock;
    private final String version;
    private final String environment;

    public HealthController(DependencyChecks checks, NodeDrain drain, Clock clock, Environment springEnvironment) {
        this.checks = checks;
        this.drain = drain;
        this.clock = clock;
        String implementationVersion = HealthController.class.getPackage().getImplementationVersion();
        this.version = implementationVersion != null ? implementationVersion : "dev";
        String[] profiles = springEnvironment.getActiveProfiles();
        this.environment = profiles.length == 0 ? "production" : String.join(",", profiles);
    }

    /** Liveness: never calls a dependency (a database blip must not restart every pod), so no {@code services}. */
    @GetMapping("/health")
    Map<String, Object> health() {
        Map<String, Object> body = body(Map.of(), false);
        body.remove("services");
        return body;
    }

    @GetMapping("/health/ready")
    ResponseEntity<Map<String, Object>> ready() {
        Map<DependencyCheck, Boolean> outcomes = checks.runAll();
        boolean ready = criticalOk(outcomes) && !drain.isDraining();
        return ResponseEntity.status(ready ? 200 : 503).body(body(outcomes, drain.isDraining()));
    }

    private static boolean criticalOk(Map<DependencyCheck, Boolean> outcomes) {
        return outcomes.entrySet().stream().allMatch(outcome -> outcome.getValue() || !outcome.getKey().critical());
    }

    private Map<String, Object> body(Map<DependencyCheck, Boolean> outcomes, boolean draining) {
        Map<String, String> services = new LinkedHashMap<>();
        outcomes.forEach((check, ok) -> services.put(check.name(), ok ? "ok" : check.failedState()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", draining ? "draining" : criticalOk(outcomes) ? "ok" : "degraded");
        body.put("timestamp", clock.instant());
        body.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        body.put("environment", environment);
        body.put("version", version);
        body.put("services", services);
        return body;
    }
}
