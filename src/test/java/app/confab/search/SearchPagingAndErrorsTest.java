package app.confab.search;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import app.confab.support.Api;
import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Cursor pagination in both orders, and a clear 400 (never a 500) for every kind of bad request. */
class SearchPagingAndErrorsTest extends SearchTestSupport {

    @Test
    void pagesWalkEveryMatchOnceNewestFirst() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Paging", alice);
        List<UUID> sent = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            sent.add(fixtures.message(chat, alice, "retro item " + i));
        }
        List<UUID> newestFirst = sent.reversed();

        List<UUID> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode body = cursor == null ? ok(search(alice, "retro", "limit=10"))
                    : ok(search(alice, "retro", "limit=10", "cursor=" + cursor));
            assertThat(body.path("total").asInt()).isEqualTo(25);
            assertThat(body.path("totalCapped").asBoolean()).isFalse();
            seen.addAll(ids(body));
            cursor = body.path("nextCursor").isNull() ? null : body.path("nextCursor").asString();
            assertThat(body.path("hasMore").asBoolean()).isEqualTo(cursor != null);
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void relevancePagesWalkEveryMatchOnceBestFirst() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Relevance", alice);
        List<UUID> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sent.add(fixtures.message(chat, alice, "incident " + "words ".repeat(i) + (i % 3 == 0 ? "incident review" : "")));
        }

        JsonNode all = ok(search(alice, "incident", "sort=relevance", "limit=100"));
        List<UUID> expected = ids(all);
        assertThat(expected).containsExactlyInAnyOrderElementsOf(sent);

        List<UUID> seen = new ArrayList<>();
        JsonNode page = ok(search(alice, "incident", "sort=relevance", "limit=5"));
        seen.addAll(ids(page));
        while (page.path("hasMore").asBoolean()) {
            page = ok(search(alice, "incident", "sort=relevance", "limit=5", "cursor=" + page.path("nextCursor").asString()));
            seen.addAll(ids(page));
        }
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void countsStopAtTheCap() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Many", alice);
        jdbc.sql("""
                INSERT INTO messages (chat_id, sender_id, position, content)
                SELECT :chat, :sender, nextval('event_position_seq'), 'heartbeat ' || g
                FROM generate_series(1, :count) AS g
                """)
                .param("chat", chat).param("sender", alice.id()).param("count", SearchService.TOTAL_CAP + 5)
                .update();

        List<UUID> newest = jdbc.sql("SELECT id FROM messages WHERE chat_id = :chat ORDER BY position DESC LIMIT 40")
                .param("chat", chat).query(UUID.class).list();

        JsonNode first = ok(search(alice, "heartbeat"));
        assertThat(first.path("total").asInt()).isEqualTo(SearchService.TOTAL_CAP);
        assertThat(first.path("totalCapped").asBoolean()).isTrue();
        JsonNode second = ok(search(alice, "heartbeat", "cursor=" + first.path("nextCursor").asString()));
        List<UUID> twoPages = new ArrayList<>(ids(first));
        twoPages.addAll(ids(second));
        assertThat(twoPages).containsExactlyElementsOf(newest);

        JsonNode relevant = ok(search(alice, "heartbeat", "sort=relevance"));
        assertThat(relevant.path("totalCapped").asBoolean()).isTrue();
        JsonNode relevantNext = ok(search(alice, "heartbeat", "sort=relevance", "cursor=" + relevant.path("nextCursor").asString()));
        List<UUID> relevantPages = new ArrayList<>(ids(relevant));
        relevantPages.addAll(ids(relevantNext));
        assertThat(relevantPages).doesNotHaveDuplicates().hasSize(40);
    }

    @Test
    void noMatchesIsAnEmptyPage() {
        Users.TestUser alice = fixtures.user("alice");
        JsonNode body = ok(search(alice, "nothing-like-this-anywhere"));
        assertThat(body.path("results")).isEmpty();
        assertThat(body.path("total").asInt()).isZero();
        assertThat(body.path("hasMore").asBoolean()).isFalse();
        assertThat(body.path("nextCursor").isNull()).isTrue();
        assertThat(ok(search(alice, "the")).path("results")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "\"unbalanced quote", "word \"", "bogus:filter", "-from:alice", "from:", "has:video",
            "before:2024-13-01", "after:yesterday", "on:2024-02-30", "\"\"", "-excluded", "!!! ???", "'", "(((",
            "in:\"unclosed"})
    void badQueriesAreValidationErrors(String q) {
        Users.TestUser alice = fixtures.user("alice");
        Api.Response response = search(alice, q);
        assertValidationError(response, "q");
    }

    @Test
    void aMissingOrOverlongQueryIsAValidationError() {
        Users.TestUser alice = fixtures.user("alice");
        assertValidationError(api.get("/api/messages/search", alice.token()), "q");
        assertValidationError(search(alice, "a".repeat(SearchQueryParser.MAX_LENGTH + 1)), "q");
        assertThat(search(alice, "a".repeat(SearchQueryParser.MAX_LENGTH)).status()).isEqualTo(200);
    }

    @Test
    void badParametersAreValidationErrorsNamingEachField() {
        Users.TestUser alice = fixtures.user("alice");
        assertValidationError(search(alice, "x", "limit=0"), "limit");
        assertValidationError(search(alice, "x", "limit=101"), "limit");
        assertValidationError(search(alice, "x", "limit=ten"), "limit");
        assertValidationError(search(alice, "x", "sort=oldest"), "sort");
        assertValidationError(search(alice, "x", "cursor=not-a-cursor"), "cursor");
        assertValidationError(search(alice, "x", "chatId=general"), "chatId");

        Api.Response several = search(alice, "\"open", "limit=0", "sort=best");
        assertThat(several.status()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        several.body().path("error").path("details").forEach(detail -> fields.add(detail.path("field").asString()));
        assertThat(fields).contains("q", "limit", "sort");
    }

    @Test
    void aCursorOnlyContinuesTheSortItCameFrom() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Cursor", alice);
        fixtures.message(chat, alice, "ping one");
        fixtures.message(chat, alice, "ping two");
        String cursor = ok(search(alice, "ping", "limit=1")).path("nextCursor").asString();

        assertValidationError(search(alice, "ping", "sort=relevance", "cursor=" + cursor), "cursor");
    }

    @ParameterizedTest
    @ValueSource(strings = {"' OR 1=1 --", "a & b | !c", "foo :* bar", "x((( y", "back\\slash", "100%_done", "x <-> y",
            "a'b", "tab\tand\nnewline",
            // (a NUL is malformed input, refused with 400 before search: MalformedUrlBatteryTest)
            "emoji 🎉 party", "<script>", "http://example.com/path?x=1", "10:30", "C++ node.js"})
    void oddInputIsSearchedAsTextNeverAnError(String q) {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Odd", alice);
        fixtures.message(chat, alice, "plain message");

        Api.Response response = search(alice, q);

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.body().path("results")).isEmpty();
    }

    @Test
    void searchNeedsSignIn() {
        Api.Response response = api.get("/api/messages/search?q=x", null);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo("UNAUTHORIZED");
    }

    private static void assertValidationError(Api.Response response, String field) {
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_ERROR");
        List<String> fields = new ArrayList<>();
        response.body().path("error").path("details").forEach(detail -> fields.add(detail.path("field").asString()));
        assertThat(fields).contains(field);
        response.body().path("error").path("details")
                .forEach(detail -> assertThat(detail.path("message").asString()).isNotBlank());
    }
}
