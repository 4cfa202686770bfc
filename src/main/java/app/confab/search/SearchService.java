package app.confab.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.stereotype.Service;

import app.confab.membership.ChatAccess;
import app.confab.platform.ApiException;
import app.confab.platform.ErrorCode;
import app.confab.platform.ReplicaJdbc;

/**
 * Message search (docs/SEARCH.md). A user searches every chat they are a current member of, and
 * nothing else. Words are matched as words first (English stems, the last word also as a
 * prefix); only when that finds nothing are they looked for inside longer words too, so the
 * common search stays precise and fast while "ployment" still finds "deployment".
 */
@Service
public class SearchService {

    /** Counting stops here: a count is a scan of every match, and "1000+" tells a person enough. */
    static final int TOTAL_CAP = 1000;
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    /** Shorter parts of words would match nearly every message and cannot use the trigram index. */
    static final int MIN_PART_LENGTH = 3;
    /** Up to this many messages from the from: senders, their messages are read and tested one by one. */
    static final int FEW_SENDER_MESSAGES = 5000;

    private final SearchRepository repository;
    private final ChatAccess access;
    private final ReplicaJdbc replica;

    public SearchService(SearchRepository repository, ReplicaJdbc replica, ChatAccess access) {
        this.access = access;
        this.repository = repository;
        this.replica = replica;
    }

    /** The raw request parameters, validated here so every bad one is reported together. */
    public record Request(String q, String chatId, String cursor, String limit, String sort) {
    }

    public SearchResults search(UUID userId, Request request) {
        List<ApiException.FieldError> problems = new ArrayList<>();
        SearchRepository.Order order = order(request.sort(), problems);
        int limit = limit(request.limit(), problems);
        UUID chatId = chatId(request.chatId(), problems);
        SearchCursor after = null;
        SearchQuery query = null;
        try {
            after = request.cursor() == null || request.cursor().isEmpty() || order == null
                    ? null : SearchCursor.decode(request.cursor(), order);
        } catch (ApiException e) {
            problems.addAll(e.details());
        }
        try {
            query = SearchQueryParser.parse(request.q());
        } catch (ApiException e) {
            problems.addAll(e.details());
        }
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
        SearchQuery parsed = query;
        SearchCursor cursor = after;
        // Which chats the user may search comes from the primary, before the search itself, which
        // may read a replica a moment behind: a member just removed never searches the chat again.
        List<UUID> visible = access.visibleChats(userId);
        try {
            return replica.readOnlyTransaction(userId, () -> run(userId, visible, parsed, chatId, order, limit, cursor));
        } catch (QueryTimeoutException e) {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                    "The search took too long; add words or filters to narrow it down");
        }
    }

    private SearchResults run(UUID userId, List<UUID> visible, SearchQuery query, UUID chatId,
                              SearchRepository.Order order, int limit, SearchCursor after) {
        repository.tuneForSearch();
        List<UUID> scope = visible;
        if (chatId != null) {
            if (!scope.contains(chatId)) {
                throw ApiException.notFound("Chat");
            }
            scope = List.of(chatId);
        }
        if (!query.inChats().isEmpty() && !scope.isEmpty()) {
            scope = repository.chatsNamed(scope, query.inChats(), userId);
        }
        List<UUID> senders = query.fromUsernames().isEmpty() ? null : senders(userId, query.fromUsernames());
        boolean emptyDateRange = query.createdFrom() != null && query.createdBefore() != null
                && !query.createdFrom().isBefore(query.createdBefore());
        if (scope.isEmpty() || (senders != null && senders.isEmpty()) || emptyDateRange) {
            return SearchResults.empty();
        }

        boolean fewSenderMessages = senders != null && repository.messagesBy(senders, FEW_SENDER_MESSAGES + 1) <= FEW_SENDER_MESSAGES;
        Matching matching = new Matching(query, repository.textQueries(query.terms()), fewSenderMessages);
        if (!matching.searchesSomething()) {
            return SearchResults.empty();
        }
        boolean partial = after != null && after.partial();
        boolean byRelevance = order == SearchRepository.Order.RELEVANCE;
        SearchRepository.Criteria criteria = matching.criteria(scope, senders, partial, query.mentionsMe() ? userId : null);
        List<SearchRepository.MatchKey> matches = repository.matches(criteria, byRelevance, TOTAL_CAP + 1, false);
        if (matches.isEmpty() && after == null && matching.canMatchParts()) {
            partial = true;
            criteria = matching.criteria(scope, senders, true, query.mentionsMe() ? userId : null);
            matches = repository.matches(criteria, byRelevance, TOTAL_CAP + 1, false);
        }
        boolean capped = matches.size() > TOTAL_CAP;

        List<SearchRepository.Hit> hits;
        List<SearchRepository.MatchKey> pageKeys;
        boolean hasMore;
        if (capped && !byRelevance) {
            // Too many to sort here: the database walks them newest first from the cursor.
            List<SearchRepository.Hit> newest = repository.newestPage(criteria,
                    after == null ? null : after.position(), limit + 1, userId);
            hasMore = newest.size() > limit;
            hits = hasMore ? newest.subList(0, limit) : newest;
            pageKeys = hits.stream().map(hit -> new SearchRepository.MatchKey(hit.id(), hit.position(), 0f)).toList();
        } else {
            if (capped) {
                // Relevance ranks the newest TOTAL_CAP matches: ranking every match of a common
                // word would read all of them, and in a chat the recent ones matter most.
                matches = repository.matches(criteria, true, TOTAL_CAP, true);
            }
            List<SearchRepository.MatchKey> remaining = matches.stream()
                    .filter(key -> after == null || comesAfter(key, after, byRelevance))
                    .sorted(byRelevance ? BY_RELEVANCE : NEWEST_FIRST)
                    .toList();
            hasMore = remaining.size() > limit;
            pageKeys = hasMore ? remaining.subList(0, limit) : remaining;
            Map<UUID, SearchRepository.Hit> details = repository.details(criteria,
                            pageKeys.stream().map(SearchRepository.MatchKey::id).toList(), userId).stream()
                    .collect(Collectors.toMap(SearchRepository.Hit::id, hit -> hit));
            hits = pageKeys.stream().map(key -> details.get(key.id())).filter(Objects::nonNull).toList();
        }

        List<String> literals = matching.literals(partial);
        List<SearchResults.Result> results = hits.stream().map(hit -> result(hit, literals)).toList();
        String nextCursor = null;
        if (hasMore) {
            SearchRepository.MatchKey last = pageKeys.getLast();
            nextCursor = new SearchCursor(order, partial, last.rank(), last.position()).encode();
        }
        int total = Math.min(matches.size(), TOTAL_CAP);
        return new SearchResults(results, total, capped, nextCursor, hasMore, partial && total > 0);
    }

    private static final Comparator<SearchRepository.MatchKey> NEWEST_FIRST =
            Comparator.comparingLong(SearchRepository.MatchKey::position).reversed();
    private static final Comparator<SearchRepository.MatchKey> BY_RELEVANCE =
            Comparator.comparingDouble((SearchRepository.MatchKey key) -> key.rank()).reversed().thenComparing(NEWEST_FIRST);

    private static boolean comesAfter(SearchRepository.MatchKey key, SearchCursor after, boolean byRelevance) {
        if (byRelevance && Float.compare(key.rank(), after.rank()) != 0) {
            return Float.compare(key.rank(), after.rank()) < 0;
        }
        return key.position() < after.position();
    }

    private List<UUID> senders(UUID userId, List<String> usernames) {
        Set<UUID> ids = new LinkedHashSet<>();
        List<String> others = new ArrayList<>();
        for (String username : usernames) {
            if (username.equalsIgnoreCase("me")) {
                ids.add(userId);
            } else {
                others.add(username);
            }
        }
        if (!others.isEmpty()) {
            ids.addAll(repository.usersNamed(others));
        }
        return List.copyOf(ids);
    }

    private static SearchResults.Result result(SearchRepository.Hit hit, List<String> literals) {
        // Group names are stored HTML-escaped; a direct chat is named by the other member's display
        // name, which is stored as typed, so it is escaped here to give chatName one form.
        String chatName = "direct".equals(hit.chatType()) && hit.chatName() != null
                ? Snippet.escape(hit.chatName()) : hit.chatName();
        return new SearchResults.Result(hit.id(), hit.chatId(), chatName, hit.chatType(), hit.chatSlug(),
                Snippet.build(hit.headline(), literals), hit.senderId(), hit.senderUsername(),
                hit.senderDisplayName(), hit.createdAt(), hit.isEdited(), hit.editedAt());
    }

    /**
     * How the terms of one query turn into SQL conditions, given PostgreSQL's tsquery for each
     * (empty for stop words, which are ignored as any full-text search ignores them).
     */
    private static final class Matching {

        private final SearchQuery query;
        private final List<String> tsqueries;
        private final boolean fewSenderMessages;

        Matching(SearchQuery query, List<String> tsqueries, boolean fewSenderMessages) {
            this.query = query;
            this.tsqueries = tsqueries;
            this.fewSenderMessages = fewSenderMessages;
        }

        boolean searchesSomething() {
            if (query.hasFilters()) {
                return true;
            }
            for (int i = 0; i < query.terms().size(); i++) {
                SearchQuery.Term term = query.terms().get(i);
                if (!term.excluded() && (term.kind() == SearchQuery.Kind.PHRASE || !tsqueries.get(i).isEmpty())) {
                    return true;
                }
            }
            return false;
        }

        boolean canMatchParts() {
            for (int i = 0; i < query.terms().size(); i++) {
                if (matchesParts(i)) {
                    return true;
                }
            }
            return false;
        }

        /** Words of at least three letters in a spaced script may also match inside longer words. */
        private boolean matchesParts(int i) {
            SearchQuery.Term term = query.terms().get(i);
            return term.kind() == SearchQuery.Kind.WORD && !term.excluded() && !term.spacelessScript()
                    && !tsqueries.get(i).isEmpty() && term.text().codePointCount(0, term.text().length()) >= MIN_PART_LENGTH;
        }

        SearchRepository.Criteria criteria(List<UUID> scope, List<UUID> senders, boolean partial, UUID mentioned) {
            List<String> required = new ArrayList<>();
            List<String> exactTexts = new ArrayList<>();
            List<SearchRepository.WordOrPart> wordsOrParts = new ArrayList<>();
            List<SearchRepository.ExcludedPhrase> excludedPhrases = new ArrayList<>();
            List<String> anyIncluded = new ArrayList<>();
            // Phrases are marked as their exact text (see literals), not word by word.
            List<String> markedWords = new ArrayList<>();
            for (int i = 0; i < query.terms().size(); i++) {
                SearchQuery.Term term = query.terms().get(i);
                String tsquery = tsqueries.get(i);
                if (term.excluded()) {
                    if (term.kind() == SearchQuery.Kind.PHRASE) {
                        excludedPhrases.add(new SearchRepository.ExcludedPhrase(tsquery, term.text()));
                    } else if (!tsquery.isEmpty()) {
                        required.add("!(" + tsquery + ")");
                    }
                    continue;
                }
                if (term.kind() == SearchQuery.Kind.PHRASE) {
                    exactTexts.add(term.text());
                }
                if (tsquery.isEmpty()) {
                    continue;
                }
                anyIncluded.add("(" + tsquery + ")");
                if (term.kind() == SearchQuery.Kind.WORD) {
                    markedWords.add("(" + tsquery + ")");
                }
                if (partial && matchesParts(i)) {
                    wordsOrParts.add(new SearchRepository.WordOrPart(tsquery, term.text()));
                } else {
                    required.add("(" + tsquery + ")");
                }
            }
            String textQuery = required.isEmpty() ? null : String.join(" & ", required);
            String rankQuery = anyIncluded.isEmpty() ? null : String.join(" | ", anyIncluded);
            String headlineQuery = markedWords.isEmpty() ? null : String.join(" | ", markedWords);
            return new SearchRepository.Criteria(scope, senders, query.createdFrom(), query.createdBefore(),
                    query.hasImage(), textQuery, exactTexts, wordsOrParts, excludedPhrases, rankQuery, headlineQuery,
                    fewSenderMessages, mentioned);
        }

        /** Texts marked in snippets as they are, beside the words PostgreSQL marks by stem. */
        List<String> literals(boolean partial) {
            List<String> literals = new ArrayList<>();
            for (int i = 0; i < query.terms().size(); i++) {
                SearchQuery.Term term = query.terms().get(i);
                if (term.excluded()) {
                    continue;
                }
                if (term.kind() == SearchQuery.Kind.PHRASE || term.spacelessScript() || (partial && matchesParts(i))) {
                    literals.add(term.text());
                }
            }
            return literals;
        }
    }

    private static SearchRepository.Order order(String sort, List<ApiException.FieldError> problems) {
        if (sort == null || sort.isEmpty() || sort.equals("newest")) {
            return SearchRepository.Order.NEWEST;
        }
        if (sort.equals("relevance")) {
            return SearchRepository.Order.RELEVANCE;
        }
        problems.add(new ApiException.FieldError("sort", "Must be newest or relevance"));
        return null;
    }

    private static int limit(String limit, List<ApiException.FieldError> problems) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit.strip());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(new ApiException.FieldError("limit", "Must be a whole number from 1 to " + MAX_LIMIT));
        return DEFAULT_LIMIT;
    }

    private static UUID chatId(String chatId, List<ApiException.FieldError> problems) {
        if (chatId == null || chatId.isEmpty()) {
            return null;
        }
        try {
            UUID id = UUID.fromString(chatId.strip());
            if (id.toString().equalsIgnoreCase(chatId.strip())) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add(new ApiException.FieldError("chatId", "Must be a chat id (a UUID)"));
        return null;
    }
}
