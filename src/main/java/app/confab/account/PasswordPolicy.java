package app.confab.account;

import java.util.ArrayList;
import java.util.List;

import app.confab.platform.ApiException;

/** Seed §8.3: at least 8 characters with an uppercase and a lowercase letter, a digit and a special character. */
final class PasswordPolicy {

    static final int MAX_LENGTH = 72; // bcrypt ignores bytes beyond 72

    private PasswordPolicy() {
    }

    static List<ApiException.FieldError> check(String field, String password) {
        List<ApiException.FieldError> errors = new ArrayList<>();
        if (password == null || password.isEmpty()) {
            errors.add(new ApiException.FieldError(field, "Password is required"));
            return errors;
        }
        if (password.length() < 8) {
            errors.add(new ApiException.FieldError(field, "Password must be at least 8 characters"));
        }
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_LENGTH) {
            errors.add(new ApiException.FieldError(field, "Password must be at most 72 bytes"));
        }
        if (!password.matches("(?s).*[A-Z].*")) {
            errors.add(new ApiException.FieldError(field, "Must contain uppercase letter"));
        }
        if (!password.matches("(?s).*[a-z].*")) {
            errors.add(new ApiException.FieldError(field, "Must contain lowercase letter"));
        }
        if (!password.matches("(?s).*[0-9].*")) {
            errors.add(new ApiException.FieldError(field, "Must contain number"));
        }
        if (!password.matches("(?s).*[^A-Za-z0-9].*")) {
            errors.add(new ApiException.FieldError(field, "Must contain special character"));
        }
        return errors;
    }
}
