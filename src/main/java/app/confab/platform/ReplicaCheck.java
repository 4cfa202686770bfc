package app.confab.platform;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;

/** Readiness line for the read replica; never critical, since reads fall back to the primary. */
@Component
@ConditionalOnExpression("'${confab.database-replica.url:}' != ''")
class ReplicaCheck implements DependencyCheck {

    private final ReplicaJdbc replica;

    ReplicaCheck(ReplicaJdbc replica) {
        this.replica = replica;
    }

    @Override
    public String name() {
        return "replica";
    }

    @Override
    public boolean isHealthy() {
        return replica.replicaUsable();
    }

    @Override
    public boolean critical() {
        return false;
    }
}
