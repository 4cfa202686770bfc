package app.confab.search;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SnippetTest {

    private static final char S = SearchRepository.MARK_START;
    private static final char E = SearchRepository.MARK_END;

    @Test
    void marksFromPostgresAndLiteralsMergeAndEverythingElseIsEscaped() {
        String headline = "a &lt;b&gt; " + S + "deploy" + E + "ment &amp; redeploy";

        assertThat(Snippet.build(headline, List.of("deploy")))
                .isEqualTo("a &lt;b&gt; <mark>deploy</mark>ment &amp; re<mark>deploy</mark>");
        assertThat(Snippet.build(headline, List.of("oyment")))
                .isEqualTo("a &lt;b&gt; <mark>deployment</mark> &amp; redeploy");
    }

    @Test
    void literalsIgnoreCaseAndOverlapsBecomeOneMark() {
        assertThat(Snippet.build("Hello World", List.of("hello w", "o wor")))
                .isEqualTo("<mark>Hello Wor</mark>ld");
    }

    @Test
    void aLongTextIsCutAroundTheFirstMatchAtSpaces() {
        String text = "word ".repeat(100) + "target " + "tail ".repeat(100);
        String snippet = Snippet.build(text, List.of("target"));

        assertThat(snippet).startsWith("…word").endsWith("…").contains("<mark>target</mark>");
        assertThat(snippet.length()).isLessThanOrEqualTo(Snippet.MAX_LENGTH + "<mark></mark>".length() + 2);
    }

    @Test
    void surrogatePairsAreNeverCutInHalf() {
        String text = "🎉".repeat(400);
        String snippet = Snippet.build(text, List.of());
        String body = snippet.substring(0, snippet.length() - 1);
        assertThat(body.codePoints().allMatch(cp -> cp == "🎉".codePointAt(0))).isTrue();
    }
}
