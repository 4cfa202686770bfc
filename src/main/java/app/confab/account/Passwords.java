package app.confab.account;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/** bcrypt at cost 12 (docs/subsystems/accounts.md, "Registration and passwords"), shared by sign-in and password change. */
@Component
class Passwords {

    private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(12);
    // Verifying against this keeps a login for an unknown user as slow as for a known one.
    private final String dummyHash = encoder.encode("not-a-real-password");

    String hash(String password) {
        return encoder.encode(password);
    }

    /** Compares in constant work even when there is no stored hash (unknown user). */
    boolean matches(String password, String storedHash) {
        boolean matches = encoder.matches(password, storedHash != null ? storedHash : dummyHash);
        return storedHash != null && matches;
    }
}
