package app.confab.presence;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One node: there are no other nodes to count. */
class LocalPresenceCounter implements PresenceCounter {

    @Override
    public void publish(UUID userId, int count) {
    }

    @Override
    public boolean connectedElsewhere(UUID userId) {
        return false;
    }

    @Override
    public List<UUID> heartbeat(Map<UUID, Integer> localCounts) {
        return List.of();
    }

    @Override
    public void leave() {
    }
}
