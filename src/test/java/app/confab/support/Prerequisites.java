package app.confab.support;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test that needs a program from the machine (nginx, PostgreSQL's server binaries). In CI
 * ({@code CI} set; .ci/run installs them) a missing program fails the test, so a skip can never
 * hide a gap there; on a developer's machine without it the test is skipped with the reason.
 */
public final class Prerequisites {

    private Prerequisites() {
    }

    public static void require(boolean present, String missingReason) {
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank() && !"false".equalsIgnoreCase(ci)) {
            assertThat(present).as(missingReason).isTrue();
        } else {
            Assumptions.assumeTrue(present, missingReason);
        }
    }
}
