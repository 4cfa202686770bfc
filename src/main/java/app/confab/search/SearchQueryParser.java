package app.confab.search;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import app.confab.platform.ApiException;

/**
 * Turns the text a user typed into a {@link SearchQuery} (the language is described in
 * docs/SEARCH.md). Every problem is reported at once as a 400 VALIDATION_ERROR on field {@code q},
 * with a message a person can act on; nothing a user types reaches SQL unparsed.
 */
final class SearchQueryParser {

    static final int MAX_LENGTH = 500;
    static final int MAX_TERMS = 30;

    private static final String FIELD = "q";
    private static final Pattern FILTER = Pattern.compile("([A-Za-z]+):(.*)", Pattern.DOTALL);
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final String KNOWN_FILTERS = "from:, in:, has:, mentions:, before:, after:, on:";

    private SearchQueryParser() {
    }

    static SearchQuery parse(String raw) {
        return new Parsing(raw).run();
    }

    private static final class Parsing {

        private final String raw;
        private final List<String> problems = new ArrayList<>();
        private final List<SearchQuery.Term> terms = new ArrayList<>();
        private final List<String> fromUsernames = new ArrayList<>();
        private final List<String> inChats = new ArrayList<>();
        private boolean hasImage;
        private boolean mentionsMe;
        private Instant createdFrom;
        private Instant createdBefore;

        Parsing(String raw) {
            this.raw = raw;
        }

        SearchQuery run() {
            if (raw == null || raw.isBlank()) {
                throw ApiException.validation(FIELD, "Enter something to search for");
            }
            if (raw.length() > MAX_LENGTH) {
                throw ApiException.validation(FIELD, "A search can be at most " + MAX_LENGTH + " characters long");
            }
            String text = withoutControlCharacters(raw);
            int i = 0;
            int n = text.length();
            while (i < n) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                    continue;
                }
                boolean excluded = false;
                if (c == '-' && i + 1 < n && !Character.isWhitespace(text.charAt(i + 1))) {
                    excluded = true;
                    i++;
                    c = text.charAt(i);
                }
                if (c == '"') {
                    int close = text.indexOf('"', i + 1);
                    if (close < 0) {
                        problems.add("A quote is not closed: every \" needs a matching \"");
                        break;
                    }
                    addPhrase(text.substring(i + 1, close), excluded);
                    i = close + 1;
                    continue;
                }
                int start = i;
                while (i < n && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '"') {
                    i++;
                }
                String token = text.substring(start, i);
                Matcher filter = FILTER.matcher(token);
                if (filter.matches() && !filter.group(2).startsWith("//")) {
                    String value = filter.group(2);
                    if (value.isEmpty() && i < n && text.charAt(i) == '"') {
                        int close = text.indexOf('"', i + 1);
                        if (close < 0) {
                            problems.add("A quote is not closed: every \" needs a matching \"");
                            break;
                        }
                        value = text.substring(i + 1, close).strip().replaceAll("\\s+", " ");
                        i = close + 1;
                    }
                    addFilter(filter.group(1).toLowerCase(Locale.ROOT), value, excluded);
                } else {
                    addWord(token, excluded);
                }
            }
            return finish();
        }

        private void addPhrase(String phrase, boolean excluded) {
            String normalized = phrase.strip().replaceAll("\\s+", " ");
            if (!hasLetterOrDigit(normalized)) {
                if (normalized.isEmpty()) {
                    problems.add("Quotes must contain the phrase to search for");
                }
                return;
            }
            terms.add(new SearchQuery.Term(SearchQuery.Kind.PHRASE, normalized, excluded, false));
        }

        private void addWord(String token, boolean excluded) {
            String word = trimPunctuation(token);
            if (!word.isEmpty()) {
                terms.add(new SearchQuery.Term(SearchQuery.Kind.WORD, word, excluded, false));
            }
        }

        private void addFilter(String key, String value, boolean excluded) {
            if (!List.of("from", "in", "has", "mentions", "before", "after", "on").contains(key)) {
                problems.add("Unknown filter '" + key + ":'. Filters are " + KNOWN_FILTERS
                        + " — to search for the text itself, put it in quotes");
                return;
            }
            if (excluded) {
                problems.add("The filter " + key + ": cannot be excluded with '-'");
                return;
            }
            if (value.isBlank()) {
                problems.add("The filter " + key + ": needs a value, e.g. " + example(key));
                return;
            }
            switch (key) {
                case "from" -> fromUsernames.add(value.startsWith("@") ? value.substring(1) : value);
                case "in" -> inChats.add(value.startsWith("#") || value.startsWith("@") ? value.substring(1) : value);
                case "has" -> {
                    String kind = value.toLowerCase(Locale.ROOT);
                    if (kind.equals("image") || kind.equals("images")) {
                        hasImage = true;
                    } else {
                        problems.add("has: supports only has:image");
                    }
                }
                case "mentions" -> {
                    String who = value.toLowerCase(Locale.ROOT);
                    if (who.equals("me") || who.equals("@me")) {
                        mentionsMe = true;
                    } else {
                        problems.add("mentions: supports only mentions:me");
                    }
                }
                default -> addDate(key, value);
            }
        }

        private void addDate(String key, String value) {
            LocalDate date = date(key, value);
            if (date == null) {
                return;
            }
            Instant dayStart = date.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant nextDayStart = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            switch (key) {
                case "before" -> createdBefore = earliest(createdBefore, dayStart);
                case "after" -> createdFrom = latest(createdFrom, nextDayStart);
                default -> {
                    createdFrom = latest(createdFrom, dayStart);
                    createdBefore = earliest(createdBefore, nextDayStart);
                }
            }
        }

        private LocalDate date(String key, String value) {
            if (DATE.matcher(value).matches()) {
                try {
                    return LocalDate.parse(value);
                } catch (DateTimeParseException e) {
                    // falls through to the problem below
                }
            }
            problems.add(key + ": needs a date as YYYY-MM-DD, e.g. " + example(key) + " ('" + value + "' is not one)");
            return null;
        }

        private SearchQuery finish() {
            if (!problems.isEmpty()) {
                throw ApiException.validation(problems.stream()
                        .map(problem -> new ApiException.FieldError(FIELD, problem))
                        .toList());
            }
            if (terms.size() > MAX_TERMS) {
                throw ApiException.validation(FIELD, "A search can have at most " + MAX_TERMS + " words and phrases");
            }
            List<SearchQuery.Term> withPrefix = markLastWordAsPrefix(terms);
            SearchQuery query = new SearchQuery(withPrefix, List.copyOf(fromUsernames), List.copyOf(inChats), hasImage,
                    createdFrom, createdBefore, mentionsMe);
            if (query.included().isEmpty() && !query.hasFilters()) {
                throw ApiException.validation(FIELD, query.terms().isEmpty()
                        ? "Enter words, a \"phrase\" or a filter to search for"
                        : "Add a word, phrase or filter to look for: exclusions alone would match everything");
            }
            return query;
        }

        private static List<SearchQuery.Term> markLastWordAsPrefix(List<SearchQuery.Term> terms) {
            List<SearchQuery.Term> result = new ArrayList<>(terms);
            for (int i = result.size() - 1; i >= 0; i--) {
                SearchQuery.Term term = result.get(i);
                if (term.kind() == SearchQuery.Kind.WORD && !term.excluded()) {
                    result.set(i, new SearchQuery.Term(term.kind(), term.text(), false, true));
                    break;
                }
            }
            return List.copyOf(result);
        }
    }

    private static String example(String key) {
        return switch (key) {
            case "from" -> "from:alice";
            case "in" -> "in:general";
            case "has" -> "has:image";
            case "before" -> "before:2024-01-31";
            case "after" -> "after:2024-01-01";
            default -> "on:2024-01-15";
        };
    }

    /** Control characters (including NUL, which PostgreSQL text cannot hold) count as spaces. */
    private static String withoutControlCharacters(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> clean.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return clean.toString();
    }

    /** "deploy," and "(deploy)" search for deploy; punctuation inside a word ("node.js") stays. */
    static String trimPunctuation(String token) {
        int start = 0;
        int end = token.length();
        while (start < end && !Character.isLetterOrDigit(token.codePointAt(start))) {
            start += Character.charCount(token.codePointAt(start));
        }
        while (end > start && !Character.isLetterOrDigit(token.codePointBefore(end))) {
            end -= Character.charCount(token.codePointBefore(end));
        }
        return token.substring(start, end);
    }

    private static boolean hasLetterOrDigit(String text) {
        return text.codePoints().anyMatch(Character::isLetterOrDigit);
    }

    private static Instant earliest(Instant current, Instant candidate) {
        return current == null || candidate.isBefore(current) ? candidate : current;
    }

    private static Instant latest(Instant current, Instant candidate) {
        return current == null || candidate.isAfter(current) ? candidate : current;
    }
}
