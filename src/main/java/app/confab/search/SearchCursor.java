package app.confab.search;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import app.confab.platform.ApiException;

/**
 * Where the next page starts: after the last result's position (and relevance, when sorting by
 * it), in the match mode the first page chose. Opaque to clients: base64url of a short text.
 */
record SearchCursor(SearchRepository.Order order, boolean partial, float rank, long position) {

    private static final String VERSION = "s1";

    String encode() {
        String text = String.join("|", VERSION, order.name(), partial ? "partial" : "words",
                Float.toString(rank), Long.toString(position));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static SearchCursor decode(String cursor, SearchRepository.Order expectedOrder) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
            if (parts.length != 5 || !parts[0].equals(VERSION) || !parts[2].matches("partial|words")) {
                throw invalid();
            }
            SearchRepository.Order order = SearchRepository.Order.valueOf(parts[1]);
            if (order != expectedOrder) {
                throw ApiException.validation("cursor", "This cursor belongs to a search with another sort order");
            }
            float rank = Float.parseFloat(parts[3]);
            if (!Float.isFinite(rank)) {
                throw invalid();
            }
            return new SearchCursor(order, parts[2].equals("partial"), rank, Long.parseLong(parts[4]));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static ApiException invalid() {
        return ApiException.validation("cursor", "Is not a cursor from a previous search page");
    }
}
