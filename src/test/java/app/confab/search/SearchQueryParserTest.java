package app.confab.search;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import app.confab.platform.ApiException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchQueryParserTest {

    @Test
    void wordsPhrasesAndExclusionsKeepTheirOrderAndTheLastWordIsAPrefix() {
        SearchQuery query = SearchQueryParser.parse("deploy \"release notes\" -friday -\"late night\" (final),");

        assertThat(query.terms()).containsExactly(
                new SearchQuery.Term(SearchQuery.Kind.WORD, "deploy", false, false),
                new SearchQuery.Term(SearchQuery.Kind.PHRASE, "release notes", false, false),
                new SearchQuery.Term(SearchQuery.Kind.WORD, "friday", true, false),
                new SearchQuery.Term(SearchQuery.Kind.PHRASE, "late night", true, false),
                new SearchQuery.Term(SearchQuery.Kind.WORD, "final", false, true));
    }

    @Test
    void filtersAreReadWithTheirValues() {
        SearchQuery query = SearchQueryParser.parse(
                "budget from:@Alice from:bob in:\"Team  Discussion\" in:#general has:image after:2024-01-01 before:2024-02-01");

        assertThat(query.fromUsernames()).containsExactly("Alice", "bob");
        assertThat(query.inChats()).containsExactly("Team Discussion", "general");
        assertThat(query.hasImage()).isTrue();
        assertThat(query.createdFrom()).isEqualTo(Instant.parse("2024-01-02T00:00:00Z"));
        assertThat(query.createdBefore()).isEqualTo(Instant.parse("2024-02-01T00:00:00Z"));
        assertThat(query.terms()).extracting(SearchQuery.Term::text).containsExactly("budget");
    }

    @Test
    void onIsOneDayAndRepeatedDatesNarrow() {
        SearchQuery query = SearchQueryParser.parse("x on:2024-03-10 before:2024-03-20 before:2024-03-30");
        assertThat(query.createdFrom()).isEqualTo(Instant.parse("2024-03-10T00:00:00Z"));
        assertThat(query.createdBefore()).isEqualTo(Instant.parse("2024-03-11T00:00:00Z"));
    }

    @Test
    void textThatOnlyLooksLikeAFilterIsText() {
        SearchQuery query = SearchQueryParser.parse("https://example.com/a 10:30 \"re: budget\"");
        assertThat(query.terms()).extracting(SearchQuery.Term::text)
                .containsExactly("https://example.com/a", "10:30", "re: budget");
        assertThat(query.hasFilters()).isFalse();
    }

    @Test
    void controlCharactersSeparateWords() {
        assertThat(SearchQueryParser.parse("a\u0000b\tc").terms()).extracting(SearchQuery.Term::text)
                .containsExactly("a", "b", "c");
    }

    @Test
    void filtersAloneAreAQuery() {
        assertThat(SearchQueryParser.parse("has:image").terms()).isEmpty();
    }

    @Test
    void everyProblemIsReported() {
        assertThatThrownBy(() -> SearchQueryParser.parse("nope:x has:video before:2024-99-01"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.details()).hasSize(3).allSatisfy(detail -> assertThat(detail.field()).isEqualTo("q"));
                    List<String> messages = e.details().stream().map(ApiException.FieldError::message).toList();
                    assertThat(messages.get(0)).contains("Unknown filter 'nope:'");
                    assertThat(messages.get(1)).contains("has:image");
                    assertThat(messages.get(2)).contains("YYYY-MM-DD");
                });
    }

    @Test
    void tooManyTermsIsAnError() {
        assertThatThrownBy(() -> SearchQueryParser.parse("w ".repeat(SearchQueryParser.MAX_TERMS + 1)))
                .isInstanceOf(ApiException.class);
    }
}
