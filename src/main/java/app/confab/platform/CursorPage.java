package app.confab.platform;

import java.util.List;
import java.util.function.Function;

/**
 * The list shape of every paginated endpoint: {@code {"data":[...],"nextCursor":...,"hasMore":...}}.
 * Repositories fetch {@code limit + 1} rows; the extra row only tells that there is more.
 */
public record CursorPage<T>(List<T> data, String nextCursor, boolean hasMore) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    /** Builds a page from up to {@code limit + 1} rows; the cursor is taken from the last row shown. */
    public static <R, T> CursorPage<T> of(List<R> rows, int limit, Function<R, T> view, Function<R, String> cursor) {
        boolean hasMore = rows.size() > limit;
        List<R> shown = hasMore ? rows.subList(0, limit) : rows;
        String next = hasMore ? cursor.apply(shown.getLast()) : null;
        return new CursorPage<>(shown.stream().map(view).toList(), next, hasMore);
    }

    /**
     * Reads a {@code limit} query parameter: absent means {@code defaultLimit}; otherwise an integer
     * from 1 to {@code max}. A bad value is added to {@code errors} (so every bad field is reported).
     */
    public static int parseLimit(String raw, int defaultLimit, int max, List<ApiException.FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(raw.strip());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new ApiException.FieldError("limit", "Limit must be an integer from 1 to " + max));
        return defaultLimit;
    }
}
