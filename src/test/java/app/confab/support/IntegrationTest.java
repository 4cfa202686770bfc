package app.confab.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the integration tests: the whole server on a random port, real PostgreSQL (embedded, or
 * a fresh database on DATABASE_URL's server), real HTTP. Contexts are cached across test classes,
 * so tests never assume an empty database: they make their own users with unique names.
 * The API rate limit is raised here; RateLimitTest checks the real limits in its own context.
 * Calls ring for 10 s instead of 30.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"confab.rate-limit.api-per-minute=1000000", "confab.rate-limit.messages-per-second=100000",
        "confab.request-limits.scale=100000",
                // Calls ring 10 s here (30 s in production) so the browser's missed-call flow is quick.
                "confab.calls.ring-timeout=10s"})
@Import(IntegrationTest.TestClockConfig.class)
public abstract class IntegrationTest {

    @LocalServerPort
    protected int port;

    @Autowired
    protected MutableClock clock;

    protected Api api;
    protected Users users;
    /** The fixture builder on this server: users, chats, messages, sockets through the real API. */
    protected World world;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        if (TestDatabase.externalUrl() != null) {
            registry.add("confab.database-url", TestDatabase::sharedExternalDatabase);
        } else {
            registry.add("confab.database-url", () -> "");
            registry.add("confab.data-dir", () -> TestDatabase.sharedDataDir().toString());
        }
        registry.add("confab.redis-url", () -> "");
    }

    @BeforeEach
    void setUpClient() {
        clock.reset();
        api = new Api("http://localhost:" + port);
        users = new Users(api);
        world = new World(api);
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class TestClockConfig {
        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock();
        }

        /**
         * Link previews may reach the one local test server (LinkPreviewTest) and public
         * addresses; every other loopback, private or link-local address stays refused.
         */
        @Bean
        @Primary
        app.confab.linkpreview.AddressFilter testServerAddressFilter() {
            app.confab.linkpreview.PublicAddressFilter publicOnly = new app.confab.linkpreview.PublicAddressFilter();
            return address -> address.getHostAddress().equals(app.confab.linkpreview.OpenGraphServer.ADDRESS)
                    || publicOnly.allows(address);
        }
    }
}
