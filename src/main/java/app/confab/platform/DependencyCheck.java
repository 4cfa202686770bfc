package app.confab.platform;

/**
 * One dependency that readiness reports on (database, Redis, storage). A failing critical check
 * makes {@code /health/ready} answer 503; a non-critical one (the read replica, which reads fall
 * back from; Redis; storage) is reported but leaves the node ready: taking every node out of the
 * load balancer because one accelerator is down would turn a degradation into an outage. Each check also shows as
 * {@code dependency_up{dependency="<name>"}} in the metrics.
 */
public interface DependencyCheck {

    String name();

    boolean isHealthy();

    default boolean critical() {
        return true;
    }

    /**
     * What readiness says of this dependency while its check fails: "error", or "degraded" for a
     * dependency whose outage the node works around (Redis: the event stream is read from the
     * database instead; S3: uploads and downloads answer 503, everything else works).
     */
    default String failedState() {
        return "error";
    }
}
