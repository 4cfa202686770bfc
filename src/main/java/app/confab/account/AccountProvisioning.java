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
