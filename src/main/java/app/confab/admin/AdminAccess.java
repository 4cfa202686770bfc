package app.confab.admin;

import org.springframework.stereotype.Component;

import app.confab.account.UserDirectory;
import app.confab.account.UserRow;
import app.confab.platform.ApiException;
import app.confab.platform.AuthenticatedUser;

/**
 * The check in front of every {@code /api/admin} action: the caller's role is read from the
 * database each time, so a demotion takes effect on the next request.
 */
@Component
class AdminAccess {

    private final UserDirectory users;

    AdminAccess(UserDirectory users) {
        this.users = users;
    }

    UserRow require(AuthenticatedUser caller) {
        UserRow user = users.findById(caller.userId()).orElse(null);
        if (user == null || !user.isAdmin() || user.isDeactivated()) {
            throw ApiException.forbidden("Administrators only");
        }
        return user;
    }
}
