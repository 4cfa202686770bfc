package app.confab.search;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The answer to GET /api/messages/search (docs/SEARCH.md, "The API", with the cursor pagination of every list).
 *
 * @param total          matches in all pages, counted up to {@link SearchService#TOTAL_CAP}
 * @param totalCapped    true when there are more matches than {@code total} says
 * @param partialMatches true when no message contained the words as words, so these results
 *                       contain them inside longer words (e.g. "ployment" in "deployment")
 */
public record SearchResults(List<Result> results, int total, boolean totalCapped, String nextCursor,
                            boolean hasMore, boolean partialMatches) {

    static SearchResults empty() {
        return new SearchResults(List.of(), 0, false, null, false, false);
    }

    /**
     * One matching message. {@code content} is an HTML snippet: plain text, escaped, with the
     * matches in {@code <mark>}. {@code chatName} is the other person's name for a direct chat.
     */
    public record Result(UUID id, UUID chatId, String chatName, String chatType, String chatSlug, String content,
                         UUID senderId, String senderUsername, String senderDisplayName, Instant createdAt,
                         boolean isEdited, Instant editedAt) {
    }
}
