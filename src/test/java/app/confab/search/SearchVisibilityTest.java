package app.confab.search;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.Users;

import static org.assertj.core.api.Assertions.assertThat;

/** A user finds messages only in chats they are a current member of, and only what is there now. */
class SearchVisibilityTest extends SearchTestSupport {

    @Test
    void nonMembersFindNothingFromAChat() {
        Users.TestUser alice = fixtures.user("alice");
        Users.TestUser eve = fixtures.user("eve");
        UUID chat = fixtures.group("Private", alice);
        UUID secret = fixtures.message(chat, alice, "the launch codes are zebra");

        assertThat(ids(alice, "zebra")).containsExactly(secret);
        assertThat(ids(eve, "zebra")).isEmpty();
        assertThat(ids(eve, "zebr")).isEmpty();
        assertThat(ids(eve, "\"launch codes\"")).isEmpty();
        assertThat(ids(eve, "from:" + alice.username())).isEmpty();
        assertThat(ids(eve, "in:private")).isEmpty();
    }

    @Test
    void searchingInAChatOfOthersIsNotFound() {
        Users.TestUser alice = fixtures.user("alice");
        Users.TestUser eve = fixtures.user("eve");
        UUID chat = fixtures.group("Private", alice);
        fixtures.message(chat, alice, "zebra");

        Api.Response response = search(eve, "zebra", "chatId=" + chat);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(response.text()).doesNotContain("zebra");

        Api.Response unknown = search(eve, "zebra", "chatId=" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void membersWhoLeftNoLongerFindTheChatsMessages() {
        Users.TestUser alice = fixtures.user("alice");
        Users.TestUser bob = fixtures.user("bob");
        UUID chat = fixtures.group("Leaving", alice, bob);
        UUID message = fixtures.message(chat, alice, "offsite agenda");
        assertThat(ids(bob, "agenda")).containsExactly(message);

        fixtures.leave(chat, bob);

        assertThat(ids(bob, "agenda")).isEmpty();
        assertThat(search(bob, "agenda", "chatId=" + chat).status()).isEqualTo(404);
        assertThat(ids(alice, "agenda")).containsExactly(message);
    }

    @Test
    void deletedChatsAreNotSearched() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Doomed", alice);
        fixtures.message(chat, alice, "farewell party");

        fixtures.deleteChat(chat);

        assertThat(ids(alice, "farewell")).isEmpty();
    }

    @Test
    void deletedMessagesNeverAppear() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Deleting", alice);
        UUID kept = fixtures.message(chat, alice, "password rotation done");
        UUID deleted = fixtures.message(chat, alice, "password is hunter2");

        fixtures.delete(deleted);

        assertThat(ids(alice, "password")).containsExactly(kept);
        assertThat(ids(alice, "hunter2")).isEmpty();
        assertThat(ids(alice, "hunt")).isEmpty();
        assertThat(ids(alice, "from:me")).containsExactly(kept);
    }

    @Test
    void editedMessagesAreFoundByTheirNewTextOnly() {
        Users.TestUser alice = fixtures.user("alice");
        UUID chat = fixtures.group("Editing", alice);
        UUID message = fixtures.message(chat, alice, "meet at the cafeteria");

        fixtures.edit(message, "meet at the library");

        assertThat(ids(alice, "library")).containsExactly(message);
        assertThat(ids(alice, "cafeteria")).isEmpty();
        assertThat(ids(alice, "cafet")).isEmpty();
        assertThat(ids(alice, "\"the cafeteria\"")).isEmpty();
        assertThat(ok(search(alice, "library")).path("results").get(0).path("isEdited").asBoolean()).isTrue();
    }
}
