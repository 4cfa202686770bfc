package app.confab.search;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Each operator of the query language (docs/SEARCH.md), through the real endpoint. */
class SearchQueryLanguageTest extends SearchTestSupport {

    @Test
    void everyWordMustMatchAndWordsMatchByStem() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Stems", alice);
        UUID both = fixtures.message(chat, alice, "We deployed the billing service yesterday");
        UUID oneWord = fixtures.message(chat, alice, "The billing numbers look fine");
        UUID otherForm = fixtures.message(chat, alice, "Deploying billing again today");

        assertThat(ids(alice, "deploy billing")).containsExactly(otherForm, both);
        assertThat(ids(alice, "deployments")).containsExactly(otherForm, both);
        assertThat(ids(alice, "billing")).containsExactly(otherForm, oneWord, both);
    }

    @Test
    void theLastWordAlsoMatchesAsAPrefix() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Prefix", alice);
        UUID message = fixtures.message(chat, alice, "Kubernetes upgrade finished");
        fixtures.message(chat, alice, "Kubernetes is fine");

        assertThat(ids(alice, "upgr")).containsExactly(message);
        assertThat(ids(alice, "kubernetes upgr")).containsExactly(message);
        // Only the last word is a prefix: "upgr" as an earlier word has to be a whole word.
        JsonNode earlier = ok(search(alice, "upgr kubernetes"));
        assertThat(earlier.path("partialMatches").asBoolean()).isTrue();
    }

    @Test
    void quotedPhrasesMatchTheExactTextOnly() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Phrases", alice);
        UUID exact = fixtures.message(chat, alice, "Please read the Release Notes before Friday");
        fixtures.message(chat, alice, "notes about the release");
        fixtures.message(chat, alice, "the released notes");

        assertThat(ids(alice, "\"release notes\"")).containsExactly(exact);
        assertThat(ids(alice, "read \"release notes\" friday")).containsExactly(exact);
    }

    @Test
    void minusExcludesWordsAndPhrases() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Excluding", alice);
        UUID plain = fixtures.message(chat, alice, "lunch at noon");
        UUID pizza = fixtures.message(chat, alice, "lunch with pizzas");
        UUID lateLunch = fixtures.message(chat, alice, "late lunch today");

        assertThat(ids(alice, "lunch -pizza")).containsExactly(lateLunch, plain);
        assertThat(ids(alice, "lunch -\"late lunch\"")).containsExactly(pizza, plain);
    }

    @Test
    void fromFiltersBySenderUsername() {
        Users.TestUser alice = fixtures.user("alice");
        Users.TestUser bob = fixtures.user("bob");
        UUID chat = fixtures.group("From", alice, bob);
        UUID fromAlice = fixtures.message(chat, alice, "standup notes");
        UUID fromBob = fixtures.message(chat, bob, "standup moved");

        assertThat(ids(alice, "standup from:" + bob.username())).containsExactly(fromBob);
        assertThat(ids(alice, "standup from:@" + bob.username().toUpperCase())).containsExactly(fromBob);
        assertThat(ids(alice, "standup from:me")).containsExactly(fromAlice);
        assertThat(ids(alice, "from:" + alice.username())).containsExactly(fromAlice);
        assertThat(ids(alice, "standup from:nobody_by_that_name")).isEmpty();
    }

    @Test
    void inFiltersByChatSlugNameOrDirectChatPartner() {
        Users.TestUser alice = fixtures.user("alice");
        Users.TestUser bob = fixtures.user("bob");
        UUID team = fixtures.group("Team Discussion", alice, bob);
        UUID random = fixtures.group("Random", alice);
        UUID direct = fixtures.direct(alice, bob);
        UUID inTeam = fixtures.message(team, bob, "budget review");
        UUID inRandom = fixtures.message(random, alice, "budget memes");
        UUID inDirect = fixtures.message(direct, bob, "budget question for you");

        String teamSlug = fixtures.slug(team);
        assertThat(ids(alice, "budget in:" + teamSlug)).containsExactly(inTeam);
        assertThat(ids(alice, "budget in:\"team discussion\"")).containsExactly(inTeam);
        assertThat(ids(alice, "budget in:#" + fixtures.slug(random).toUpperCase())).containsExactly(inRandom);
        assertThat(ids(alice, "budget in:random")).containsExactly(inRandom);
        assertThat(ids(alice, "budget in:" + bob.username())).containsExactly(inDirect);
        assertThat(ids(alice, "budget in:@" + bob.username())).containsExactly(inDirect);
        assertThat(ids(alice, "budget in:random in:" + teamSlug)).containsExactly(inRandom, inTeam);
        assertThat(ids(alice, "budget in:no-such-chat")).isEmpty();
    }

    @Test
    void inMatchesChatNamesAsTypedAlthoughTheyAreStoredEscaped() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("R&D 'Core'", alice);
        UUID message = fixtures.message(chat, alice, "prototype ready");

        assertThat(ids(alice, "prototype in:\"r&d 'core'\"")).containsExactly(message);
        assertThat(ok(search(alice, "prototype")).path("results").get(0).path("chatName").asString())
                .isEqualTo("R&amp;D &#39;Core&#39;");
    }

    @Test
    void hasImageKeepsMessagesWithAttachments() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Images", alice);
        UUID withImage = fixtures.message(chat, alice, "whiteboard photo");
        fixtures.attachImage(withImage, alice);
        fixtures.message(chat, alice, "whiteboard cleaned");

        assertThat(ids(alice, "whiteboard has:image")).containsExactly(withImage);
        assertThat(ids(alice, "has:image")).containsExactly(withImage);
    }

    @Test
    void datesBoundTheDayInUtc() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Dates", alice);
        UUID jan14 = fixtures.message(chat, alice, "invoice sent", Instant.parse("2024-01-14T23:59:00Z"));
        UUID jan15 = fixtures.message(chat, alice, "invoice paid", Instant.parse("2024-01-15T12:00:00Z"));
        UUID jan16 = fixtures.message(chat, alice, "invoice archived", Instant.parse("2024-01-16T00:00:00Z"));

        assertThat(ids(alice, "invoice before:2024-01-15")).containsExactly(jan14);
        assertThat(ids(alice, "invoice after:2024-01-15")).containsExactly(jan16);
        assertThat(ids(alice, "invoice on:2024-01-15")).containsExactly(jan15);
        assertThat(ids(alice, "invoice after:2024-01-14 before:2024-01-16")).containsExactly(jan15);
        assertThat(ids(alice, "invoice after:2024-01-16 before:2024-01-15")).isEmpty();
    }

    @Test
    void resultsAreNewestFirstOrByRelevanceOnRequest() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Ordering", alice);
        UUID older = fixtures.message(chat, alice, "rollback rollback rollback: the rollback plan");
        UUID newer = fixtures.message(chat, alice, "we talked about many things today, including a rollback and other long topics");

        assertThat(ids(alice, "rollback")).containsExactly(newer, older);
        assertThat(ids(alice, "rollback", "sort=newest")).containsExactly(newer, older);
        assertThat(ids(alice, "rollback", "sort=relevance")).containsExactly(older, newer);
    }

    @Test
    void chatIdLimitsTheSearchToOneChat() {
        Users.TestUser alice = fixtures.user("alice");
        UUID first = fixtures.group("First", alice);
        UUID second = fixtures.group("Second", alice);
        UUID inFirst = fixtures.message(first, alice, "quarterly goals");
        fixtures.message(second, alice, "quarterly goals too");

        assertThat(ids(alice, "quarterly", "chatId=" + first)).containsExactly(inFirst);
    }

    @Test
    void resultsCarryChatAndSender() {
        Users.TestUser alice = fixtures.user("alice");
        Users.TestUser bob = fixtures.user("bob");
        UUID team = fixtures.group("Team Discussion", alice, bob);
        UUID direct = fixtures.direct(alice, bob);
        UUID inTeam = fixtures.message(team, bob, "timeline for the project");
        UUID inDirect = fixtures.message(direct, bob, "project secret");

        JsonNode body = ok(search(alice, "project"));
        assertThat(body.path("total").asInt()).isEqualTo(2);
        assertThat(body.path("hasMore").asBoolean()).isFalse();
        assertThat(body.path("nextCursor").isNull()).isTrue();
        JsonNode teamResult = body.path("results").get(1);
        assertThat(teamResult.path("id").asString()).isEqualTo(inTeam.toString());
        assertThat(teamResult.path("chatId").asString()).isEqualTo(team.toString());
        assertThat(teamResult.path("chatName").asString()).isEqualTo("Team Discussion");
        assertThat(teamResult.path("senderId").asString()).isEqualTo(bob.id().toString());
        assertThat(teamResult.path("senderUsername").asString()).isEqualTo(bob.username());
        assertThat(teamResult.path("content").asString()).isEqualTo("timeline for the <mark>project</mark>");
        assertThat(Instant.parse(teamResult.path("createdAt").asString())).isNotNull();
        JsonNode directResult = body.path("results").get(0);
        assertThat(directResult.path("id").asString()).isEqualTo(inDirect.toString());
        assertThat(directResult.path("chatType").asString()).isEqualTo("direct");
        assertThat(directResult.path("chatName").asString()).isEqualTo(bob.username());

        fixtures.setDisplayName(bob, "Bob <The Builder>");
        assertThat(ok(search(alice, "secret")).path("results").get(0).path("chatName").asString())
                .isEqualTo("Bob &lt;The Builder&gt;");
        assertThat(ok(search(alice, "secret")).path("results").get(0).path("senderDisplayName").asString())
                .isEqualTo("Bob <The Builder>");
    }
}
