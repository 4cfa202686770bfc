package app.confab.platform;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.springframework.core.env.Environment;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import jakarta.annotation.PreDestroy;

/**
 * Health as seed §11.1: {@code status}, {@code timestamp}, {@code uptime}, {@code environment},
 * {@code version} and {@code services} (one entry per {@link DependencyCheck}: database, Redis,
 * storage), with {@code status} "degraded" when any dependency fails.
 *
 * <p>The seed has one endpoint answering 503 when degraded; PRODUCT.md splits it in two, and so
 * do we: {@code /health/ready} answers 503 when degraded (take the node out of the load balancer),
 * while {@code /health} — liveness — answers 200 as long as the process can answer at all, with the
 * same body, so an orchestrator does not restart every node because the database is down. Checks
 * run in parallel and each gets {@link #CHECK_TIMEOUT}, so a hung dependency cannot hang a probe.
 */
@RestController
public class HealthController {

    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final List<DependencyCheck> checks;
    private final Clock clock;
    private final String version;
    private final String environment;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public HealthController(List<DependencyCheck> checks, Clock clock, Environment springEnvironment) {
        this.checks = checks;
        this.clock = clock;
        String implementationVersion = HealthController.class.getPackage().getImplementationVersion();
        this.version = implementationVersion != null ? implementationVersion : "dev";
        String[] profiles = springEnvironment.getActiveProfiles();
        this.environment = profiles.length == 0 ? "production" : String.join(",", profiles);
    }

    @GetMapping("/health")
    Map<String, Object> health() {
        return body(checkAll());
    }

    @GetMapping("/health/ready")
    ResponseEntity<Map<String, Object>> ready() {
        Map<String, String> services = checkAll();
        boolean allOk = services.values().stream().allMatch("ok"::equals);
        return ResponseEntity.status(allOk ? 200 : 503).body(body(services));
    }

    private Map<String, Object> body(Map<String, String> services) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", services.values().stream().allMatch("ok"::equals) ? "ok" : "degraded");
        body.put("timestamp", clock.instant());
        body.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        body.put("environment", environment);
        body.put("version", version);
        body.put("services", services);
        return body;
    }

    private Map<String, String> checkAll() {
        List<CompletableFuture<Boolean>> running = new ArrayList<>(checks.size());
        for (DependencyCheck check : checks) {
            running.add(CompletableFuture.supplyAsync(check::isHealthy, executor));
        }
        Map<String, String> services = new LinkedHashMap<>();
        long deadline = System.nanoTime() + CHECK_TIMEOUT.toNanos();
        for (int i = 0; i < checks.size(); i++) {
            boolean ok;
            try {
                ok = running.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ok = false;
            } catch (Exception e) {
                running.get(i).cancel(true);
                ok = false;
            }
            services.put(checks.get(i).name(), ok ? "ok" : "error");
        }
        return services;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
