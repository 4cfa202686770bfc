package app.confab.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Several Confab nodes in this JVM on one shared database and one real Redis, for tests of what
 * crosses nodes (the bus, shared budgets, session ends, outages). Start it in {@code @BeforeAll},
 * add nodes by name, and close it in {@code @AfterAll}: nodes stop first (newest first), then
 * Redis, then the database, whatever a test already stopped.
 */
public final class Cluster implements AutoCloseable {

    private final ServerNode.SharedDatabase database;
    private final ServerNode.TestRedis redis;
    private final List<ServerNode> nodes = new ArrayList<>();

    private Cluster(ServerNode.SharedDatabase database, ServerNode.TestRedis redis) {
        this.database = database;
        this.redis = redis;
    }

    /** A fresh shared database and a Redis server on a free port; no node yet. */
    public static Cluster withRedis() {
        ServerNode.SharedDatabase database = new ServerNode.SharedDatabase();
        try {
            return new Cluster(database, new ServerNode.TestRedis());
        } catch (RuntimeException e) {
            closeQuietly(database, e);
            throw e;
        }
    }

    /** A node on the shared database and Redis, with the test settings of {@link ServerNode} plus {@code extra}. */
    public ServerNode node(String name, Map<String, String> extra) {
        return add(ServerNode.start(database.url(), redis.url(), database.dataDir().resolve(name), extra));
    }

    public ServerNode node(String name) {
        return node(name, Map.of());
    }

    /** A node on the shared database that has no Redis: its bus reaches no other node. */
    public ServerNode nodeWithoutRedis(String name, Map<String, String> extra) {
        return add(ServerNode.start(database.url(), null, database.dataDir().resolve(name), extra));
    }

    /** The cluster's Redis, for tests that stop and restart it. */
    public ServerNode.TestRedis redis() {
        return redis;
    }

    private ServerNode add(ServerNode node) {
        nodes.add(node);
        return node;
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        List<AutoCloseable> parts = new ArrayList<>(nodes.reversed());
        parts.add(redis);
        parts.add(database);
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void closeQuietly(AutoCloseable closeable, Exception cause) {
        try {
            closeable.close();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }
}
