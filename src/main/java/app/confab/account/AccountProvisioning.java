package app.confab.account;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import app.confab.platform.ApiException;

/**
 * Accounts made for someone rather than by them: by an administrator (with a one-time link to set
 * the first password). The stored password is a random one nobody knows, so the account cannot be
 * signed into until its owner uses the link.
 */
@Service
public class AccountProvisioning {

    private final UserRepository users;
    private final Passwords passwords;
    private final PasswordLinks links;

    public AccountProvisioning(UserRepository users, Passwords passwords, PasswordLinks links) {
        this.users = users;
        this.passwords = passwords;
        this.links = links;
    }

    public record Provisioned(UserRow user, PasswordLinks.Issued link) {
    }

    /**
     * An account made on first sign-in through the identity provider, linked by issuer and subject.
     * The username is the provider's, made valid and unique ({@code alice}, {@code alice_2}, ...).
     */
    public UserRow createLinked(String preferredUsername, String displayName, String issuer, String subject) {
        String base = preferredUsername == null ? "" : preferredUsername.replaceAll("[^A-Za-z0-9_]", "_");
        if (base.length() > 44) {
            base = base.substring(0, 44);
        }
        if (base.length() < 3) {
            base = (base + "user").substring(0, Math.max(3, base.length() + 4));
        }
        String name = displayName == null || displayName.isBlank() ? base : displayName.strip();
        if (name.length() > 100 || DisplayNames.check("displayName", name).isPresent()) {
            name = base;
        }
        String hash = passwords.hash(Secrets.newPassword());
        for (int attempt = 1; attempt <= 50; attempt++) {
            String username = attempt == 1 ? base : base + "_" + attempt;
            var made = users.insertLinked(username, hash, name, issuer, subject);
            if (made.isPresent()) {
                return made.get();
            }
            var linked = users.findByProviderSubject(issuer, subject);
            if (linked.isPresent()) {
                return linked.get(); // a concurrent first sign-in of the same person made it
            }
        }
        throw ApiException.conflict("Could not find a free username for this account");
    }

    public Provisioned create(String username, String displayName, UUID createdBy) {
        List<ApiException.FieldError> errors = new ArrayList<>();
        Usernames.check("username", username).ifPresent(errors::add);
        String name = displayName == null || displayName.isBlank() ? username : displayName.strip();
        if (displayName != null && !displayName.isBlank()) {
            DisplayNames.check("displayName", name).ifPresent(errors::add);
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        UserRow user = users.insert(username, passwords.hash(Secrets.newPassword()), name)
                .orElseThrow(() -> ApiException.conflict("Username is already taken"));
        return new Provisioned(user, links.issue(user.id(), "set", createdBy));
    }
}
