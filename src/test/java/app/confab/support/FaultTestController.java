package app.confab.support;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Exists only on the test classpath: a route that fails the way a bug would, so tests can see a
 * server fault answered in the error format (500 INTERNAL_ERROR) without breaking real code.
 */
@RestController
class FaultTestController {

    @GetMapping("/api/test-support/fault")
    String fault() {
        throw new IllegalStateException("Deliberate failure for a test");
    }
}
