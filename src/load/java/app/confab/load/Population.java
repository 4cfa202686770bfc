package app.confab.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.springframework.security.crypto.bcrypt.BCrypt;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tool's users and chats, made once and reused. Users get deterministic names
 * ({@code <prefix>_u00042}) and one password; their refresh tokens and the chat ids are kept in a
 * state file, so a second run refreshes tokens (cheap) instead of registering or logging in
 * (bcrypt cost 12: about a quarter of a core-second each).
 *
 * <p>With {@code --db-url}, missing users are inserted by SQL with a bcrypt hash of cost 4, then
 * logged in through the real API — the only way to make 10,000 users in seconds on two cores. Such
 * users exist only for load tests; their sessions and tokens are real.
 */
public final class Population {

    public static final String PASSWORD = "LoadTest-Pass1!";

    public record User(int index, String username, String id, String accessToken) {
    }

    public record Chat(int index, String id, String type, int[] members) {
        /** Where a user stands in {@link #members}, or -1. */
        public int positionOf(int userIndex) {
            for (int i = 0; i < members.length; i++) {
                if (members[i] == userIndex) {
                    return i;
                }
            }
            return -1;
        }
    }

    private final LoadContext context;
    private final Path stateFile;
    private final ObjectNode state;
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, String> userIds = new ConcurrentHashMap<>();
    private final Map<String, String> chatIds = new ConcurrentHashMap<>();

    Population(LoadContext context) {
        this.context = context;
        String server = context.api().baseUrl().replaceAll("[^A-Za-z0-9]+", "_");
        this.stateFile = context.outDir().resolve("state").resolve(server + "-" + context.prefix() + ".json");
        this.state = readState(stateFile);
        state.path("users").properties().forEach(entry -> {
            userIds.put(entry.getKey(), entry.getValue().path("id").asString());
            refreshTokens.put(entry.getKey(), entry.getValue().path("refreshToken").asString());
        });
        state.path("chats").properties().forEach(entry -> chatIds.put(entry.getKey(), entry.getValue().asString()));
    }

    public String username(int index) {
        return "%s_u%05d".formatted(context.prefix(), index);
    }

    /** Users 0..count-1, signed in, in index order. */
    public List<User> users(int count) {
        long started = System.nanoTime();
        if (context.dbUrl() != null) {
            insertMissingUsers(count);
        }
        AtomicInteger done = new AtomicInteger();
        AtomicInteger registered = new AtomicInteger();
        AtomicInteger loggedIn = new AtomicInteger();
        Semaphore expensive = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors() * 2));
        List<User> users = parallel(count, 32, index -> {
            String name = username(index);
            String refresh = refreshTokens.get(name);
            if (refresh != null) {
                ConfabApi.Response response = context.api().post("/api/auth/refresh", null, Map.of("refreshToken", refresh));
                if (response.ok()) {
                    return remember(index, name, response.body());
                }
            }
            expensive.acquireUninterruptibly();
            try {
                ConfabApi.Response response = context.api().post("/api/auth/login", null,
                        Map.of("username", name, "password", PASSWORD));
                if (response.ok()) {
                    loggedIn.incrementAndGet();
                    return remember(index, name, response.body());
                }
                response = context.api().post("/api/auth/register", null,
                        Map.of("username", name, "password", PASSWORD, "passwordConfirm", PASSWORD));
                if (!response.ok()) {
                    throw new IllegalStateException("Could not register " + name + ": " + response);
                }
                registered.incrementAndGet();
                return remember(index, name, response.body());
            } finally {
                expensive.release();
                int n = done.incrementAndGet();
                if (n % 250 == 0) {
                    System.out.printf("  users: %d/%d signed in%n", n, count);
                }
            }
        });
        saveState();
        System.out.printf("users: %d ready (%d registered, %d logged in, rest refreshed) in %.1f s%n",
                count, registered.get(), loggedIn.get(), (System.nanoTime() - started) / 1e9);
        return users;
    }

    /** Direct chats between consecutive users: (0,1), (2,3), ... */
    public List<Chat> directPairs(List<User> users, int firstIndex) {
        int pairs = users.size() / 2;
        return parallel(pairs, 16, i -> {
            User a = users.get(2 * i);
            User b = users.get(2 * i + 1);
            // Asked every time (the server returns the pair's existing chat): a remembered id could
            // belong to another database behind the same address.
            ConfabApi.Response response = context.api().post("/api/chats/direct", a.accessToken(), Map.of("userId", b.id()));
            if (!response.ok()) {
                throw new IllegalStateException("Could not create a direct chat: " + response);
            }
            return new Chat(firstIndex + i, ConfabApi.chatId(response.body()), "direct", new int[] {a.index(), b.index()});
        });
    }

    /** Groups of consecutive users: the first member owns the group. */
    public List<Chat> groups(List<User> users, int groupSize, int firstIndex) {
        int count = users.size() / groupSize;
        List<Chat> chats = parallel(count, 4, i -> {
            List<User> members = users.subList(i * groupSize, (i + 1) * groupSize);
            String name = "%s-g%d-%d".formatted(context.prefix(), members.getFirst().index(), groupSize);
            return group(name, members, firstIndex + i);
        });
        saveState();
        return chats;
    }

    /** The group of this name (made once, reused while its owner can still read it); members.get(0) owns it. */
    public Chat group(String name, List<User> members, int chatIndex) {
        String key = "group:" + name;
        String id = chatIds.get(key);
        User owner = members.getFirst();
        if (id != null && !context.api().get("/api/chats/" + id, owner.accessToken()).ok()) {
            id = null;
        }
        if (id == null) {
            List<String> others = members.subList(1, members.size()).stream().map(User::id).toList();
            ConfabApi.Response response = context.api().post("/api/chats/group", owner.accessToken(),
                    Map.of("name", name, "participantIds", others));
            if (!response.ok()) {
                throw new IllegalStateException("Could not create group " + name + ": " + response);
            }
            id = ConfabApi.chatId(response.body());
            chatIds.put(key, id);
        }
        return new Chat(chatIndex, id, "group", members.stream().mapToInt(User::index).toArray());
    }

    private User remember(int index, String name, JsonNode body) {
        String id = body.path("user").path("id").asString(null);
        if (id == null) {
            id = userIds.get(name);
        }
        String known = userIds.get(name);
        if (known != null && !known.equals(id)) {
            // Same server address, different database: every remembered chat is someone else's now.
            chatIds.clear();
        }
        if (id == null) {
            throw new IllegalStateException("No user id in the response for " + name + ": " + body);
        }
        userIds.put(name, id);
        String refresh = body.path("refreshToken").asString(null);
        if (refresh != null) {
            refreshTokens.put(name, refresh);
        }
        return new User(index, name, id, body.path("accessToken").asString());
    }

    private void insertMissingUsers(int count) {
        long started = System.nanoTime();
        String hash = BCrypt.hashpw(PASSWORD, BCrypt.gensalt(4));
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(username(i));
        }
        try (Connection connection = context.database()) {
            int inserted = 0;
            for (int from = 0; from < count; from += 5_000) {
                List<String> batch = names.subList(from, Math.min(count, from + 5_000));
                try (PreparedStatement statement = connection.prepareStatement("""
                        INSERT INTO users (username, password_hash, display_name)
                        SELECT name, ?, name FROM unnest(?::text[]) AS name
                        ON CONFLICT DO NOTHING
                        """)) {
                    statement.setString(1, hash);
                    statement.setArray(2, connection.createArrayOf("text", batch.toArray()));
                    inserted += statement.executeUpdate();
                }
            }
            System.out.printf("users: %d inserted by SQL in %.1f s%n", inserted, (System.nanoTime() - started) / 1e9);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Could not insert users through --db-url", e);
        }
    }

    /** Runs task(0..count-1) on virtual threads, at most {@code concurrency} at once; results in order. */
    static <T> List<T> parallel(int count, int concurrency, IntFunction<T> task) {
        Semaphore permits = new Semaphore(concurrency);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(executor.submit(() -> {
                    permits.acquireUninterruptibly();
                    try {
                        return task.apply(index);
                    } finally {
                        permits.release();
                    }
                }));
            }
            List<T> results = new ArrayList<>(count);
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode readState(Path file) {
        try {
            if (Files.exists(file)) {
                return (ObjectNode) ConfabApi.JSON.readTree(file.toFile());
            }
        } catch (RuntimeException e) {
            System.out.println("state: ignoring unreadable " + file);
        }
        return ConfabApi.JSON.createObjectNode();
    }

    synchronized void saveState() {
        ObjectNode users = ConfabApi.JSON.createObjectNode();
        new java.util.TreeMap<>(userIds).forEach((name, id) -> {
            ObjectNode user = users.putObject(name);
            user.put("id", id);
            user.put("refreshToken", refreshTokens.get(name));
        });
        ObjectNode chats = ConfabApi.JSON.createObjectNode();
        new java.util.TreeMap<>(chatIds).forEach(chats::put);
        ObjectNode root = ConfabApi.JSON.createObjectNode();
        root.set("users", users);
        root.set("chats", chats);
        try {
            Files.createDirectories(stateFile.getParent());
            Files.writeString(stateFile, ConfabApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
