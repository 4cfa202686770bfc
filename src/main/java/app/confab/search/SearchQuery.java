package app.confab.search;

import java.time.Instant;
import java.util.List;

/**
 * A parsed search query (docs/SEARCH.md): the text to match and the filters that narrow it.
 *
 * @param terms          words and quoted phrases, in the order typed; excluded ones carry {@code excluded}
 * @param fromUsernames  {@code from:} values (any of them); "me" is the caller
 * @param inChats        {@code in:} values (any of them): a chat slug, name, or the other user of a direct chat
 * @param hasImage       {@code has:image}: only messages with attachments
 * @param createdFrom    inclusive lower bound from {@code after:}/{@code on:}, or null
 * @param createdBefore  exclusive upper bound from {@code before:}/{@code on:}, or null
 */
public record SearchQuery(
        List<Term> terms,
        List<String> fromUsernames,
        List<String> inChats,
        boolean hasImage,
        Instant createdFrom,
        Instant createdBefore,
        boolean mentionsMe) {

    public SearchQuery(List<Term> terms, List<String> fromUsernames, List<String> inChats, boolean hasImage,
                       Instant createdFrom, Instant createdBefore) {
        this(terms, fromUsernames, inChats, hasImage, createdFrom, createdBefore, false);
    }

    public enum Kind { WORD, PHRASE }

    /**
     * @param text     the word or phrase, trimmed of surrounding punctuation and extra spaces
     * @param prefix   the last word typed: also matches words it begins (search-as-you-type)
     */
    public record Term(Kind kind, String text, boolean excluded, boolean prefix) {

        /** Scripts without spaces between words are matched as character runs, never by stem or prefix. */
        public boolean spacelessScript() {
            return SpacelessScripts.containsAny(text);
        }
    }

    public List<Term> included() {
        return terms.stream().filter(term -> !term.excluded()).toList();
    }

    public List<Term> excluded() {
        return terms.stream().filter(Term::excluded).toList();
    }

    public boolean hasFilters() {
        return !fromUsernames.isEmpty() || !inChats.isEmpty() || hasImage || createdFrom != null || createdBefore != null
                || mentionsMe;
    }
}
