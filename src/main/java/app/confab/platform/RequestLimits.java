package app.confab.platform;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The budgets of WebSocket client requests (docs/OPERATIONS.md, "Rate limits"), keyed by request
 * type. A type without an entry gets {@code defaults}, so a request type added later is limited
 * without anyone remembering to list it. Each budget is a token bucket per user (shared by every
 * node when REDIS_URL is set) and one per connection.
 *
 * @param defaults the budget of any type not in {@code types}
 * @param types    budgets by request type, e.g. {@code confab.request-limits.types[message:send].per-user=10}
 * @param scale    multiplies every budget of a second or less (tests of other features raise it; 1 in
 *                 production). Slower budgets such as {@code call:invite}'s 10 a minute stay exact: no test
 *                 of another feature comes near them, and the tests of their own rule run in the shared context.
 */
@ConfigurationProperties(prefix = "confab.request-limits")
public record RequestLimits(
        @DefaultValue Budget defaults,
        Map<String, Budget> types,
        @DefaultValue("1") int scale) {

    /** At most {@code perUser} requests per {@code window} for a user, {@code perConnection} for one socket. */
    public record Budget(@DefaultValue("20") int perUser, @DefaultValue("10") int perConnection,
                         @DefaultValue("1s") Duration window) {
    }

    /**
     * The shipped table: sends and everything that writes like a send share the send budget. Calls
     * (docs/subsystems/calls.md, "Rate limits"): an invite rings other people's devices, so few of
     * them; ICE candidates come in bursts (a dozen per peer connection, seven connections per peer
     * in an 8-person mesh), so a large burst that refills slowly. The other call:* types get the
     * default.
     */
    static final Map<String, Budget> BUILT_IN;

    static {
        Map<String, Budget> table = new LinkedHashMap<>();
        Duration second = Duration.ofSeconds(1);
        table.put("message:send", new Budget(10, 10, second));
        table.put("message:edit", new Budget(10, 10, second));
        table.put("message:delete", new Budget(10, 10, second));
        table.put("reaction:add", new Budget(10, 10, second));
        table.put("reaction:remove", new Budget(10, 10, second));
        table.put("message:read", new Budget(20, 20, second));
        table.put("typing:start", new Budget(10, 5, second));
        table.put("typing:stop", new Budget(10, 5, second));
        table.put("presence:update", new Budget(5, 5, second));
        table.put("auth:refresh", new Budget(5, 5, second));
        table.put("call:invite", new Budget(10, 10, Duration.ofMinutes(1)));
        table.put("call:ice", new Budget(100, 100, Duration.ofSeconds(10)));
        BUILT_IN = Map.copyOf(table);
    }

    public RequestLimits {
        if (defaults == null) {
            defaults = new Budget(20, 10, Duration.ofSeconds(1));
        }
        Map<String, Budget> merged = new LinkedHashMap<>(BUILT_IN);
        if (types != null) {
            merged.putAll(types);
        }
        types = Map.copyOf(merged);
        if (scale < 1) {
            throw new IllegalArgumentException("confab.request-limits.scale must be at least 1");
        }
    }

    /** The budget of a request type (the default when it has no entry), scaled when it is a fast one. */
    public Budget budget(String type) {
        Budget budget = types.getOrDefault(type, defaults);
        return scale == 1 || budget.window().compareTo(Duration.ofSeconds(1)) > 0 ? budget
                : new Budget(budget.perUser() * scale, budget.perConnection() * scale, budget.window());
    }
}
