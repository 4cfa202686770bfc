package app.confab.stream;

import app.confab.platform.ApiException;
import tools.jackson.databind.JsonNode;

/** Parses client cursors: the decimal stream position the server gave out, as a string (or a number). */
public final class Cursors {

    private Cursors() {
    }

    public static final String INVALID = "Must be a cursor the server gave out (a non-negative integer)";

    /** null when absent. */
    public static Long parse(String value) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ApiException.validation("cursor", INVALID);
        }
        return Long.parseLong(value);
    }

    /** null when absent or JSON null. */
    public static Long parse(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isString()) {
            return parse(value.asString());
        }
        if (value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0) {
            return value.asLong();
        }
        throw ApiException.validation("cursor", INVALID);
    }
}
