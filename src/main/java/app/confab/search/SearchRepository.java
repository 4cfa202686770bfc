package app.confab.search;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import app.confab.platform.ReplicaJdbc;

/**
 * The SQL of message search. Text conditions run on the generated columns of V6__message_search.sql:
 * {@code search_vector} (GIN, words) and {@code search_text} (GIN trigrams, parts of words and the
 * exact-text check of phrases). User text only ever arrives as bound parameters or as tsquery text
 * that PostgreSQL itself produced in {@link #textQueries}.
 */
@Repository
class SearchRepository {

    /** Marks PostgreSQL's ts_headline puts around matched words; stripped from the text beforehand. */
    static final char MARK_START = '\uE000';
    static final char MARK_END = '\uE001';

    private final JdbcClient jdbc;

    /**
     * Statements run on the read replica inside SearchService's {@link ReplicaJdbc#readOnlyTransaction}
     * when it is fresh and the searcher has not just written, on the primary otherwise.
     */
    SearchRepository(ReplicaJdbc replica) {
        this.jdbc = replica.routed();
    }

    /**
     * Of the given chats, those an {@code in:} value names: slug, name, or the other user of a
     * direct chat. Chat names are stored HTML-escaped, so a name is compared in that form too.
     */
    List<UUID> chatsNamed(Collection<UUID> chatIds, Collection<String> names, UUID userId) {
        List<String> escapedNames = names.stream().map(Snippet::escape).toList();
        return jdbc.sql("""
                SELECT c.id
                FROM chats c
                WHERE c.id = ANY(CAST(:chatIds AS uuid[]))
                  AND (lower(c.slug) = ANY(CAST(:names AS text[]))
                       OR lower(c.name) = ANY(CAST(:escapedNames AS text[]))
                       OR (c.type = 'direct' AND EXISTS (
                            SELECT 1 FROM chat_participants other JOIN users u ON u.id = other.user_id
                            WHERE other.chat_id = c.id AND other.user_id <> :userId
                              AND lower(u.username) = ANY(CAST(:names AS text[])))))
                """)
                .param("chatIds", uuidArray(chatIds))
                .param("names", lowerCaseArray(names))
                .param("escapedNames", lowerCaseArray(escapedNames))
                .param("userId", userId)
                .query(UUID.class)
                .list();
    }

    List<UUID> usersNamed(Collection<String> usernames) {
        return jdbc.sql("SELECT id FROM users WHERE lower(username) = ANY(CAST(:names AS text[]))")
                .param("names", lowerCaseArray(usernames))
                .query(UUID.class)
                .list();
    }

    /** How many messages the senders wrote (deleted ones included), counting no further than {@code cap}. */
    int messagesBy(List<UUID> senderIds, int cap) {
        return jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM messages WHERE sender_id = ANY(CAST(:senderIds AS uuid[])) LIMIT :cap) AS sent")
                .param("senderIds", uuidArray(senderIds))
                .param("cap", cap)
                .query(Integer.class)
                .single();
    }

    /**
     * PostgreSQL's tsquery for each term, as text, in the given order; "" for a term made only of
     * stop words. Plain words of letters and digits become lexemes (with {@code :*} for a prefix);
     * everything else — punctuation inside a word, phrases, Chinese or Japanese text — goes
     * through phraseto_tsquery, which accepts any text.
     */
    List<String> textQueries(List<SearchQuery.Term> terms) {
        if (terms.isEmpty()) {
            return List.of();
        }
        String[] kinds = new String[terms.size()];
        String[] texts = new String[terms.size()];
        for (int i = 0; i < terms.size(); i++) {
            SearchQuery.Term term = terms.get(i);
            boolean lexeme = term.kind() == SearchQuery.Kind.WORD && !term.spacelessScript()
                    && term.text().codePoints().allMatch(Character::isLetterOrDigit);
            kinds[i] = !lexeme ? "phrase" : term.prefix() ? "prefix" : "word";
            // Escaped as message content is, so the parser splits the query as it split the messages.
            texts[i] = lexeme ? term.text() : Snippet.escape(term.text());
        }
        return jdbc.sql("""
                SELECT CASE t.kind
                           WHEN 'word' THEN to_tsquery('english', t.text)
                           WHEN 'prefix' THEN to_tsquery('english', t.text || ':*')
                           ELSE phraseto_tsquery('english', message_search_words(t.text))
                       END::text
                FROM unnest(CAST(:kinds AS text[]), CAST(:texts AS text[])) WITH ORDINALITY AS t(kind, text, ord)
                ORDER BY t.ord
                """)
                .param("kinds", kinds)
                .param("texts", texts)
                .query(String.class)
                .list();
    }

    /**
     * Up to {@code cap} matches as sort keys, in no particular order, or the newest {@code cap}
     * when {@code newest}. Unordered, PostgreSQL intersects index bitmaps and stops reading rows
     * at the cap, so the cost is bounded whether a word is rare or common; {@code rank} adds each
     * match's relevance (ts_rank, shorter messages first among equal counts).
     */
    List<MatchKey> matches(Criteria criteria, boolean rank, int cap, boolean newest) {
        Where where = where(criteria);
        Map<String, Object> params = new LinkedHashMap<>(where.params());
        String rankExpression = "CAST(0 AS real)";
        if (rank && criteria.rankQuery() != null) {
            rankExpression = "ts_rank(m.search_vector, CAST(:rankQuery AS tsquery), 1)";
            params.put("rankQuery", criteria.rankQuery());
        }
        params.put("cap", cap);
        return jdbc.sql("""
                SELECT m.id, m.position, %s AS rank
                FROM messages m
                WHERE %s
                %s
                LIMIT :cap
                """.formatted(rankExpression, where.sql(), newest ? "ORDER BY m.position DESC" : ""))
                .params(params)
                .query((rs, n) -> new MatchKey(rs.getObject("id", UUID.class), rs.getLong("position"), rs.getFloat("rank")))
                .list();
    }

    /**
     * The page of matches after {@code afterPosition} (null: from the newest), newest first, for
     * searches with more matches than are worth sorting outside the database.
     */
    List<Hit> newestPage(Criteria criteria, Long afterPosition, int limit, UUID viewerId) {
        Where where = where(criteria);
        Map<String, Object> params = new LinkedHashMap<>(where.params());
        String keyset = "";
        if (afterPosition != null) {
            keyset = " AND m.position < :afterPosition";
            params.put("afterPosition", afterPosition);
        }
        // PostgreSQL may walk the position index backwards until it has a page of matches: quick
        // when matches are spread over time, a walk through every newer message when before: puts
        // them all in the past. "+ 0" takes that index out of the choice.
        String order = criteria.createdBefore() != null ? "m.position + 0 DESC" : "m.position DESC";
        params.put("limit", limit);
        return withDetails(criteria, "WHERE %s%s ORDER BY %s LIMIT :limit".formatted(where.sql(), keyset, order),
                params, viewerId);
    }

    /** The given matches with what a result shows, in no particular order. */
    List<Hit> details(Criteria criteria, List<UUID> ids, UUID viewerId) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("ids", uuidArray(ids));
        return withDetails(criteria, "WHERE m.id = ANY(CAST(:ids AS uuid[]))", params, viewerId);
    }

    /**
     * Matches chosen by {@code selection} (a WHERE ... clause over messages m), each with its chat,
     * sender and headline: the message without formatting markers, still HTML-escaped as stored,
     * with the words PostgreSQL matched between {@link #MARK_START} and {@link #MARK_END}. The
     * headline is made only for the rows selected.
     */
    private List<Hit> withDetails(Criteria criteria, String selection, Map<String, Object> selectionParams,
                                  UUID viewerId) {
        Map<String, Object> params = new LinkedHashMap<>(selectionParams);
        String headline = "p.unformatted";
        if (criteria.headlineQuery() != null) {
            headline = """
                    ts_headline('english', p.unformatted, CAST(:headlineQuery AS tsquery),
                                'HighlightAll=true, StartSel="%s", StopSel="%s"')""".formatted(MARK_START, MARK_END);
            params.put("headlineQuery", criteria.headlineQuery());
        }
        params.put("viewerId", viewerId);
        params.put("marks", "" + MARK_START + MARK_END);
        return jdbc.sql("""
                SELECT p.id, p.chat_id, p.sender_id, p.created_at, p.position, p.is_edited, p.edited_at,
                       c.type AS chat_type, c.slug AS chat_slug, coalesce(c.name, other.name) AS chat_name,
                       u.username AS sender_username, u.display_name AS sender_display_name,
                       %s AS headline
                FROM (
                    SELECT m.id, m.chat_id, m.sender_id, m.created_at, m.position, m.is_edited, m.edited_at,
                           translate(message_unformatted(m.content), :marks, '') AS unformatted
                    FROM messages m
                    %s
                ) AS p
                JOIN chats c ON c.id = p.chat_id
                LEFT JOIN users u ON u.id = p.sender_id
                LEFT JOIN LATERAL (
                    SELECT ou.display_name AS name
                    FROM chat_participants op JOIN users ou ON ou.id = op.user_id
                    WHERE c.type = 'direct' AND op.chat_id = c.id AND op.user_id <> :viewerId
                    ORDER BY op.joined_at
                    LIMIT 1
                ) AS other ON TRUE
                ORDER BY p.position DESC
                """.formatted(headline, selection))
                .params(params)
                .query(SearchRepository::hit)
                .list();
    }

    /**
     * Settings for this transaction's statements: plan each search for its own values (a cached
     * generic plan cannot know whether a word is rare or common), keep bitmaps of common words
     * exact rather than lossy, and stop a runaway search.
     */
    void tuneForSearch() {
        jdbc.sql("""
                SELECT set_config('plan_cache_mode', 'force_custom_plan', true),
                       set_config('work_mem', '16MB', true),
                       set_config('statement_timeout', '10s', true)
                """)
                .query((rs, n) -> n)
                .list();
    }

    private static Where where(Criteria criteria) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        conditions.add("m.chat_id = ANY(CAST(:chatIds AS uuid[]))");
        params.put("chatIds", uuidArray(criteria.chatIds()));
        conditions.add("NOT m.is_deleted");
        // System messages (joins, renames) are found by nobody; their content is empty anyway, but
        // a filter-only search (from:, on:) would otherwise list them.
        conditions.add("m.content_type <> 'system'");
        if (criteria.mentionedUserId() != null) {
            conditions.add("(m.mentions @> ARRAY[CAST(:mentioned AS uuid)] OR m.mentions_everyone)");
            params.put("mentioned", criteria.mentionedUserId());
        }
        if (criteria.senderIds() != null) {
            conditions.add("m.sender_id = ANY(CAST(:senderIds AS uuid[]))");
            params.put("senderIds", uuidArray(criteria.senderIds()));
        }
        if (criteria.createdFrom() != null) {
            conditions.add("m.created_at >= :createdFrom");
            params.put("createdFrom", utc(criteria.createdFrom()));
        }
        if (criteria.createdBefore() != null) {
            conditions.add("m.created_at < :createdBefore");
            params.put("createdBefore", utc(criteria.createdBefore()));
        }
        if (criteria.hasImage()) {
            // The images of the caller's chats, as an array looked up by primary key: the work is
            // bounded by how many images there are, however common the words searched with them.
            conditions.add("""
                    m.id = ANY(ARRAY(SELECT a.message_id FROM attachments a
                                     WHERE a.chat_id = ANY(CAST(:chatIds AS uuid[])) AND a.message_id IS NOT NULL
                                       AND a.file_type LIKE 'image/%'))""");
        }
        List<String> text = new ArrayList<>();
        if (criteria.textQuery() != null) {
            text.add("m.search_vector @@ CAST(:textQuery AS tsquery)");
            params.put("textQuery", criteria.textQuery());
        }
        for (int i = 0; i < criteria.exactTexts().size(); i++) {
            text.add("m.search_text ILIKE :exact" + i);
            params.put("exact" + i, containsPattern(criteria.exactTexts().get(i)));
        }
        for (int i = 0; i < criteria.wordsOrParts().size(); i++) {
            WordOrPart word = criteria.wordsOrParts().get(i);
            text.add("(m.search_vector @@ CAST(:word%1$d AS tsquery) OR m.search_text ILIKE :part%1$d)".formatted(i));
            params.put("word" + i, word.query());
            params.put("part" + i, containsPattern(word.text()));
        }
        for (int i = 0; i < criteria.excludedPhrases().size(); i++) {
            ExcludedPhrase phrase = criteria.excludedPhrases().get(i);
            if (phrase.query().isEmpty()) {
                text.add("m.search_text NOT ILIKE :notExact" + i);
            } else {
                text.add("NOT (m.search_vector @@ CAST(:notPhrase%1$d AS tsquery) AND m.search_text ILIKE :notExact%1$d)"
                        .formatted(i));
                params.put("notPhrase" + i, phrase.query());
            }
            params.put("notExact" + i, containsPattern(phrase.text()));
        }
        if (criteria.fewSenderMessages()) {
            // PostgreSQL underestimates what intersecting a common word's index bitmap costs: for a
            // sender with a few hundred messages, reading those and testing each is far cheaper.
            // "IS TRUE" keeps the test and takes the text indexes out of the plan.
            text.replaceAll(condition -> "(" + condition + ") IS TRUE");
        }
        conditions.addAll(text);
        return new Where(String.join("\n  AND ", conditions), params);
    }

    /** ILIKE pattern for "contains this text": the text's own % _ and \ match only themselves. */
    static String containsPattern(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String[] uuidArray(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }

    private static String[] lowerCaseArray(Collection<String> values) {
        return values.stream().map(value -> value.toLowerCase(Locale.ROOT)).toArray(String[]::new);
    }

    private static Hit hit(ResultSet rs, int rowNum) throws SQLException {
        return new Hit(
                rs.getObject("id", UUID.class),
                rs.getObject("chat_id", UUID.class),
                rs.getString("chat_type"),
                rs.getString("chat_slug"),
                rs.getString("chat_name"),
                rs.getObject("sender_id", UUID.class),
                rs.getString("sender_username"),
                rs.getString("sender_display_name"),
                instant(rs.getTimestamp("created_at")),
                rs.getBoolean("is_edited"),
                instant(rs.getTimestamp("edited_at")),
                rs.getLong("position"),
                rs.getString("headline"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    enum Order { NEWEST, RELEVANCE }

    /**
     * What a search matches.
     *
     * @param chatIds         chats to look in (never empty: the caller checks)
     * @param senderIds       null for any sender
     * @param textQuery       one tsquery all matches satisfy (words, phrases, exclusions), or null
     * @param exactTexts      phrases whose exact text (ignoring case) must appear
     * @param wordsOrParts    words that may match as a word or inside a word
     * @param excludedPhrases phrases whose exact text must not appear
     * @param rankQuery       tsquery for relevance (any included term), or null
     * @param headlineQuery   tsquery whose words are marked in the snippet, or null
     * @param fewSenderMessages the senders have few messages: read theirs and test the text row by
     *                          row rather than intersect them with the text indexes
     */
    record Criteria(List<UUID> chatIds, List<UUID> senderIds, Instant createdFrom, Instant createdBefore,
                    boolean hasImage, String textQuery, List<String> exactTexts, List<WordOrPart> wordsOrParts,
                    List<ExcludedPhrase> excludedPhrases, String rankQuery, String headlineQuery,
                    boolean fewSenderMessages, UUID mentionedUserId) {
    }

    record WordOrPart(String query, String text) {
    }

    record ExcludedPhrase(String query, String text) {
    }

    /** What orders a match: newest first by position, or by rank and then newest. */
    record MatchKey(UUID id, long position, float rank) {
    }

    record Hit(UUID id, UUID chatId, String chatType, String chatSlug, String chatName, UUID senderId,
               String senderUsername, String senderDisplayName, Instant createdAt, boolean isEdited,
               Instant editedAt, long position, String headline) {
    }

    private record Where(String sql, Map<String, Object> params) {
    }
}
