package app.confab.account;

import java.util.Optional;
import java.util.regex.Pattern;

import app.confab.platform.ApiException;

/** The username rule of registration: 3 to 50 letters, digits or underscores. */
public final class Usernames {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_]{3,50}");

    private Usernames() {
    }

    public static Optional<ApiException.FieldError> check(String field, String username) {
        String problem = null;
        if (username == null || username.isBlank()) {
            problem = "Username is required";
        } else if (username.length() < 3) {
            problem = "Username must be at least 3 characters";
        } else if (username.length() > 50) {
            problem = "Username must be at most 50 characters";
        } else if (!USERNAME.matcher(username).matches()) {
            problem = "Username may contain only letters, digits and _";
        }
        return Optional.ofNullable(problem).map(message -> new ApiException.FieldError(field, message));
    }
}
