package app.confab.account;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * Account's read API for the other modules: who a user is, by id, username or single sign-on
 * subject. Other modules read users here, never through {@link UserRepository}, so account keeps
 * the one say over the users table (docs/ARCHITECTURE.md, "Modules").
 */
@Component
public class UserDirectory {

    private final UserRepository users;

    UserDirectory(UserRepository users) {
        this.users = users;
    }

    public Optional<UserRow> findById(UUID id) {
        return users.findById(id);
    }

    /** Case-insensitive, as usernames are unique. */
    public Optional<UserRow> findByUsername(String username) {
        return users.findByUsername(username);
    }

    /** The account linked to this provider subject, if single sign-on made or linked one. */
    public Optional<UserRow> findByProviderSubject(String issuer, String subject) {
        return users.findByProviderSubject(issuer, subject);
    }

    /** Whether any account exists yet (the first one becomes the administrator). */
    public boolean anyUsers() {
        return users.anyUsers();
    }
}
