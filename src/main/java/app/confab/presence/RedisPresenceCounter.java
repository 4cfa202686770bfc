package app.confab.presence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import app.confab.delivery.RedisLink;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Connection counts of every node in Redis: a hash per node (user id to count) and a liveness key
 * per node that expires unless the node refreshes it. A node that dies stops refreshing; the next
 * heartbeat of any other node finds its liveness key gone, removes its counts and re-checks the
 * presence of its users. Counts are written as absolute values and fully re-published on every
 * heartbeat, so a lost write or a Redis restart heals within one heartbeat.
 */
class RedisPresenceCounter implements PresenceCounter {

    static final String NODES = "confab:presence:nodes";
    static final long ALIVE_SECONDS = 30;

    private final RedisLink redis;
    private final String nodeId;

    RedisPresenceCounter(RedisLink redis, String nodeId) {
        this.redis = redis;
        this.nodeId = nodeId;
    }

    private static String countsKey(String node) {
        return "confab:presence:node:" + node;
    }

    private static String aliveKey(String node) {
        return "confab:presence:alive:" + node;
    }

    @Override
    public void publish(UUID userId, int count) {
        RedisCommands<String, String> commands = redis.sync();
        if (count > 0) {
            commands.hset(countsKey(nodeId), userId.toString(), Integer.toString(count));
        } else {
            commands.hdel(countsKey(nodeId), userId.toString());
        }
    }

    @Override
    public boolean connectedElsewhere(UUID userId) {
        RedisCommands<String, String> commands = redis.sync();
        for (String node : commands.smembers(NODES)) {
            if (node.equals(nodeId) || commands.exists(aliveKey(node)) == 0) {
                continue;
            }
            String count = commands.hget(countsKey(node), userId.toString());
            if (count != null && Integer.parseInt(count) > 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<UUID> heartbeat(Map<UUID, Integer> localCounts) {
        RedisCommands<String, String> commands = redis.sync();
        commands.setex(aliveKey(nodeId), ALIVE_SECONDS, "1");
        commands.sadd(NODES, nodeId);
        Map<String, String> stored = commands.hgetall(countsKey(nodeId));
        Map<String, String> wanted = new HashMap<>();
        localCounts.forEach((user, count) -> wanted.put(user.toString(), Integer.toString(count)));
        List<String> stale = new ArrayList<>();
        for (String user : stored.keySet()) {
            if (!wanted.containsKey(user)) {
                stale.add(user);
            }
        }
        if (!stale.isEmpty()) {
            commands.hdel(countsKey(nodeId), stale.toArray(String[]::new));
        }
        if (!wanted.isEmpty() && !wanted.equals(stored)) {
            commands.hset(countsKey(nodeId), wanted);
        }
        List<UUID> orphaned = new ArrayList<>();
        for (String node : commands.smembers(NODES)) {
            if (node.equals(nodeId) || commands.exists(aliveKey(node)) > 0) {
                continue;
            }
            for (String user : commands.hkeys(countsKey(node))) {
                orphaned.add(UUID.fromString(user));
            }
            commands.del(countsKey(node));
            commands.srem(NODES, node);
        }
        return orphaned;
    }

    @Override
    public void leave() {
        redis.sync().del(aliveKey(nodeId));
    }
}
