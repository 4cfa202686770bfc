package app.confab.platform;

/**
 * One dependency that readiness reports on (database, Redis, storage). A failing critical check
 * makes {@code /health/ready} answer 503; a non-critical one (the read replica, which reads fall
 * back from) is reported but leaves the node ready. Each check also shows as
 * {@code dependency_up{dependency="<name>"}} in the metrics.
 */
public interface DependencyCheck {

    String name();

    boolean isHealthy();

    default boolean critical() {
        return true;
    }
}
