package app.confab.account;

import java.util.Optional;

import app.confab.platform.ApiException;

/** What a display name may be: 1–100 characters after trimming, no control characters. */
final class DisplayNames {

    static final int MAX_LENGTH = 100;

    private DisplayNames() {
    }

    static Optional<ApiException.FieldError> check(String field, String strippedName) {
        if (strippedName == null || strippedName.isEmpty()) {
            return Optional.of(new ApiException.FieldError(field, "Display name must not be empty"));
        }
        if (strippedName.codePointCount(0, strippedName.length()) > MAX_LENGTH) {
            return Optional.of(new ApiException.FieldError(field, "Display name must be at most 100 characters"));
        }
        if (strippedName.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.of(new ApiException.FieldError(field, "Display name must not contain control characters"));
        }
        return Optional.empty();
    }
}
