package app.confab.search;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Snippets are escaped plain text with the matches in <mark>; scripts and partial words are found. */
class SearchSnippetTest extends SearchTestSupport {

    @Test
    void scriptInAMessageComesBackAsTextNeverAsMarkup() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Escaping", alice);
        UUID message = fixtures.message(chat, alice, "look <script>alert('xss')</script> & <b onmouseover=\"x\">bold</b>");

        JsonNode body = ok(search(alice, "alert"));
        String content = content(body, message);
        assertThat(content).isEqualTo("look &lt;script&gt;<mark>alert</mark>(&#39;xss&#39;)&lt;/script&gt; "
                + "&amp; &lt;b onmouseover=&quot;x&quot;&gt;bold&lt;/b&gt;");
        assertThat(content.replace("<mark>", "").replace("</mark>", "")).doesNotContain("<", ">", "\"", "'");
        assertThat(ids(alice, "script")).containsExactly(message);
        assertThat(ids(alice, "\"<script>\"")).containsExactly(message);
    }

    @Test
    void storedEntitiesAreNotEscapedTwice() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Entities", alice);
        UUID message = fixtures.message(chat, alice, "Tom & Jerry's \"show\" &lt;literally&gt;");

        String content = content(ok(search(alice, "jerry")), message);

        assertThat(content).isEqualTo("Tom &amp; <mark>Jerry</mark>&#39;s &quot;show&quot; &amp;lt;literally&amp;gt;");
        assertThat(fixtures.storedContent(message).getFirst())
                .isEqualTo("Tom &amp; Jerry&#39;s &quot;show&quot; &amp;lt;literally&amp;gt;");
    }

    @Test
    void formattingMarkersAreNotTextAndAreLeftOutOfSnippets() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Markers", alice);
        UUID message = fixtures.message(chat, alice, "this is **very important** and *urgent*, 2 * 3 = 6");

        assertThat(ids(alice, "\"very important\"")).containsExactly(message);
        assertThat(ids(alice, "\"important and urgent\"")).containsExactly(message);
        assertThat(content(ok(search(alice, "important")), message))
                .isEqualTo("this is very <mark>important</mark> and urgent, 2 * 3 = 6");
    }

    @Test
    void everyMatchIsMarkedIncludingOtherFormsOfTheWord() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Marks", alice);
        UUID message = fixtures.message(chat, alice, "Deploying now; the deployment of the deploy tool");

        assertThat(content(ok(search(alice, "deploy")), message))
                .isEqualTo("<mark>Deploying</mark> now; the <mark>deployment</mark> of the <mark>deploy</mark> tool");
        assertThat(content(ok(search(alice, "\"deploy tool\"")), message))
                .isEqualTo("Deploying now; the deployment of the <mark>deploy tool</mark>");
    }

    @Test
    void longMessagesAreCutAroundTheFirstMatch() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Long", alice);
        String filler = "lorem ipsum dolor sit amet ".repeat(30);
        UUID message = fixtures.message(chat, alice, filler + "the needle is here " + filler);

        String content = content(ok(search(alice, "needle")), message);

        assertThat(content).startsWith("…").endsWith("…").contains("<mark>needle</mark>");
        assertThat(content.length()).isLessThan(Snippet.MAX_LENGTH + 40);
    }

    @Test
    void chineseAndJapaneseTextIsFoundByAnyRunOfCharacters() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Scripts", alice);
        UUID japanese = fixtures.message(chat, alice, "昨日は東京タワーに行きました");
        UUID chinese = fixtures.message(chat, alice, "我们明天开会讨论项目进度");
        UUID korean = fixtures.message(chat, alice, "서울에서 회의가 있습니다");
        fixtures.message(chat, alice, "京都に行きます");

        assertThat(ids(alice, "東京")).containsExactly(japanese);
        assertThat(ids(alice, "タワー")).containsExactly(japanese);
        assertThat(ids(alice, "明天开会")).containsExactly(chinese);
        assertThat(ids(alice, "项目")).containsExactly(chinese);
        assertThat(ids(alice, "서울")).containsExactly(korean);
        assertThat(ids(alice, "\"東京タワー\"")).containsExactly(japanese);
        assertThat(ids(alice, "行き -東京")).hasSize(1).doesNotContain(japanese);
        assertThat(content(ok(search(alice, "東京")), japanese)).isEqualTo("昨日は<mark>東京</mark>タワーに行きました");
    }

    @Test
    void partsOfWordsAreFoundWhenNoWholeWordMatches() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Partial", alice);
        UUID deployment = fixtures.message(chat, alice, "The deployment finished");
        UUID dotted = fixtures.message(chat, alice, "see config.errorhandler.retries");

        JsonNode body = ok(search(alice, "ployment"));
        assertThat(ids(body)).containsExactly(deployment);
        assertThat(body.path("partialMatches").asBoolean()).isTrue();
        assertThat(content(body, deployment)).isEqualTo("The de<mark>ployment</mark> finished");
        assertThat(ids(alice, "errorhandler")).containsExactly(dotted);
        assertThat(ids(alice, "handler")).containsExactly(dotted);
        assertThat(ids(alice, "deployme")).containsExactly(deployment);

        JsonNode whole = ok(search(alice, "deployment"));
        assertThat(whole.path("partialMatches").asBoolean()).isFalse();
    }
}
