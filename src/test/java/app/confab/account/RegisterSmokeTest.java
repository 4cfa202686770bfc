package app.confab.account;

import org.junit.jupiter.api.Test;

import app.confab.support.IntegrationTest;
import app.confab.support.Users;

import static org.assertj.core.api.Assertions.assertThat;

class RegisterSmokeTest extends IntegrationTest {

    @Test
    void registeredUserIsSignedInAndCanCallTheApi() {
        Users.TestUser alice = users.register("alice");
        assertThat(alice.token()).isNotBlank();
        assertThat(api.get("/api/nothing-here", alice.token()).status()).isEqualTo(404);
    }
}
