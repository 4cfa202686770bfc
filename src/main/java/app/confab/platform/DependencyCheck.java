package app.confab.platform;

/** One dependency that readiness reports on (database, Redis, storage). */
public interface DependencyCheck {

    String name();

    boolean isHealthy();
}
