package app.confab.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;

/**
 * Runs the {@link DependencyCheck}s for health probes and the {@code dependency_up} metric: in
 * parallel, each within {@link #CHECK_TIMEOUT}, so a hung dependency cannot hang a probe or a
 * scrape. A check that throws or times out counts as failed.
 */
@Component
public class DependencyChecks {

    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final List<DependencyCheck> checks;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public DependencyChecks(List<DependencyCheck> checks) {
        this.checks = checks;
    }

    public List<DependencyCheck> all() {
        return checks;
    }

    /** Every check's outcome, in declaration order. */
    public Map<DependencyCheck, Boolean> runAll() {
        List<CompletableFuture<Boolean>> running = new ArrayList<>(checks.size());
        for (DependencyCheck check : checks) {
            running.add(CompletableFuture.supplyAsync(check::isHealthy, executor));
        }
        Map<DependencyCheck, Boolean> outcomes = new LinkedHashMap<>();
        long deadline = System.nanoTime() + CHECK_TIMEOUT.toNanos();
        for (int i = 0; i < checks.size(); i++) {
            outcomes.put(checks.get(i), await(running.get(i), deadline));
        }
        return outcomes;
    }

    public boolean run(DependencyCheck check) {
        return await(CompletableFuture.supplyAsync(check::isHealthy, executor), System.nanoTime() + CHECK_TIMEOUT.toNanos());
    }

    private static boolean await(CompletableFuture<Boolean> outcome, long deadline) {
        try {
            return Boolean.TRUE.equals(outcome.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            outcome.cancel(true);
            return false;
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
