package app.confab.message;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.stream.EventStore;
import app.confab.support.IntegrationTest;
import app.confab.support.Users.TestUser;
import app.confab.support.World;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A group-commit batch's messages go in one statement (MessageRepository.insertAll): each row is
 * checked on its own, skipped rows take no position, and the stored ones take positions in the
 * batch's order, with every column as a single insert would have stored it.
 */
class BatchInsertTest extends IntegrationTest {

    @Autowired
    MessageRepository messages;
    @Autowired
    EventStore events;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    JdbcClient jdbc;

    @Test
    void eachRowIsCheckedAloneAndTheStoredOnesTakePositionsInOrder() {
        TestUser alice = world.user("bi_a");
        TestUser bob = world.user("bi_b");
        TestUser outsider = world.user("bi_out");
        World.Chat chat = world.group("Batch", alice, bob);
        String usedBefore = "used-" + UUID.randomUUID();
        // A plain send, for a clientMessageId used before the batch.
        UUID earlier = chat.sendVia(api, alice, "first").uuid();
        jdbc.sql("UPDATE messages SET client_message_id = :c WHERE id = :id")
                .param("c", usedBefore).param("id", earlier).update();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID thread = UUID.randomUUID();
        List<MessageRepository.NewMessage> rows = List.of(
                row(chat.uuid(), alice.id(), "c1-" + thread, "one", now, new Mentions.Parsed(List.of(bob.id()), false)),
                row(chat.uuid(), outsider.id(), null, "not a member", now, Mentions.Parsed.NONE),
                row(chat.uuid(), bob.id(), null, "two", now.plusMillis(1), new Mentions.Parsed(List.of(), true)),
                row(chat.uuid(), alice.id(), "c1-" + thread, "same clientMessageId in the batch", now, Mentions.Parsed.NONE),
                row(chat.uuid(), alice.id(), usedBefore, "clientMessageId used before", now, Mentions.Parsed.NONE),
                row(chat.uuid(), alice.id(), null, "three", now, Mentions.Parsed.NONE));
        long before = events.currentPosition();

        List<MessageRepository.Stored> stored = transaction.execute(status -> {
            events.beginAppend();
            return messages.insertAll(rows);
        });

        assertThat(stored).hasSize(6);
        assertThat(stored.get(1)).as("an outsider's row").isNull();
        assertThat(stored.get(3)).as("a second row with the same clientMessageId").isNull();
        assertThat(stored.get(4)).as("a clientMessageId used before").isNull();
        long one = stored.get(0).position();
        long two = stored.get(2).position();
        long three = stored.get(5).position();
        assertThat(one).isGreaterThan(before);
        assertThat(two).isGreaterThan(one);
        assertThat(three).isGreaterThan(two);
        // The skipped rows took no position, but for the in-batch duplicate (the unique index's backstop).
        assertThat(three - one).isBetween(2L, 3L);
        assertThat(stored.get(0).senderUsername()).isEqualTo(alice.username());
        assertThat(stored.get(0).createdAt()).isEqualTo(now);
        MessageRow first = messages.find(rows.get(0).id()).orElseThrow();
        assertThat(first.content()).isEqualTo("one");
        assertThat(first.mentions()).containsExactly(bob.id());
        assertThat(first.clientMessageId()).isEqualTo("c1-" + thread);
        MessageRow second = messages.find(rows.get(2).id()).orElseThrow();
        assertThat(second.mentionsEveryone()).isTrue();
        assertThat(second.mentions()).isEmpty();
        assertThat(messages.find(rows.get(1).id())).isEmpty();
    }

    @Test
    void aBatchOfOneIsCheckedLikeAnyRow() {
        // A batch of one has its own single-row statement: the same conditions must hold there.
        TestUser alice = world.user("bi1_a");
        TestUser bob = world.user("bi1_b");
        TestUser outsider = world.user("bi1_out");
        World.Chat chat = world.group("Batch of one", alice, bob);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String clientId = "one-" + UUID.randomUUID();
        MessageRepository.NewMessage first = row(chat.uuid(), alice.id(), clientId, "alone",
                now, new Mentions.Parsed(List.of(bob.id()), false));
        long before = events.currentPosition();

        MessageRepository.Stored stored = insertAlone(first);
        assertThat(stored).isNotNull();
        assertThat(stored.position()).isGreaterThan(before);
        assertThat(stored.senderUsername()).isEqualTo(alice.username());
        assertThat(stored.createdAt()).isEqualTo(now);
        MessageRow row = messages.find(first.id()).orElseThrow();
        assertThat(row.content()).isEqualTo("alone");
        assertThat(row.mentions()).containsExactly(bob.id());
        assertThat(row.clientMessageId()).isEqualTo(clientId);

        assertThat(insertAlone(row(chat.uuid(), outsider.id(), null, "not a member", now, Mentions.Parsed.NONE)))
                .as("an outsider's row").isNull();
        assertThat(insertAlone(row(chat.uuid(), alice.id(), clientId, "a retry", now, Mentions.Parsed.NONE)))
                .as("a clientMessageId used before").isNull();
        MessageRepository.Stored next = insertAlone(row(chat.uuid(), bob.id(), null, "next", now, Mentions.Parsed.NONE));
        assertThat(next.position()).as("the skipped rows took no position").isEqualTo(stored.position() + 1);
    }

    @Test
    void aDirectMessageAcrossABlockIsSkippedWhicheverSideBlocked() {
        // The insert checks the block itself, under the stream lock, in the batch statement and the single-row one.
        TestUser alice = world.user("bib_a");
        TestUser bob = world.user("bib_b");
        TestUser carol = world.user("bib_c");
        World.Chat withBob = world.direct(alice, bob);
        World.Chat withCarol = world.direct(alice, carol);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        assertThat(insertAlone(direct(withBob.uuid(), alice.id(), "before the block", now))).isNotNull();

        assertThat(api.post("/api/contacts/" + alice.id() + "/block", bob.token(), null).status()).isEqualTo(201);
        long before = events.currentPosition();
        assertThat(insertAlone(direct(withBob.uuid(), alice.id(), "blocked by bob", now)))
                .as("a row to the one who blocked the sender").isNull();
        assertThat(insertAlone(direct(withBob.uuid(), bob.id(), "bob blocked alice", now)))
                .as("a row from the one who blocked").isNull();
        List<MessageRepository.Stored> stored = transaction.execute(status -> {
            events.beginAppend();
            return messages.insertAll(List.of(
                    direct(withBob.uuid(), alice.id(), "blocked, in a batch", now),
                    direct(withCarol.uuid(), alice.id(), "to carol", now),
                    direct(withBob.uuid(), bob.id(), "blocked the other way, in a batch", now)));
        });
        assertThat(stored.get(0)).isNull();
        assertThat(stored.get(2)).isNull();
        assertThat(stored.get(1).position()).as("the skipped rows took no position").isEqualTo(before + 1);
    }

    private static MessageRepository.NewMessage direct(UUID chat, UUID sender, String content, Instant at) {
        return row(chat, sender, null, content, at, Mentions.Parsed.NONE);
    }

    @Test
    void everyGinIndexOfMessagesMergesItsPendingListInSmallSteps() {
        // An overflowing pending list is merged by the insert that overflows it, under the stream lock:
        // with the default 4 MB that stalled every send ~25 ms every ~2,600 messages (V83).
        List<String> gin = jdbc.sql("""
                SELECT c.relname || ' ' || coalesce(array_to_string(c.reloptions, ','), '')
                FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
                WHERE i.indrelid = 'messages'::regclass AND am.amname = 'gin'
                ORDER BY c.relname
                """).query(String.class).list();
        assertThat(gin).containsExactly("messages_mentions gin_pending_list_limit=128",
                "messages_search_trigram gin_pending_list_limit=128", "messages_search_vector gin_pending_list_limit=128");
    }

    private MessageRepository.Stored insertAlone(MessageRepository.NewMessage row) {
        return transaction.execute(status -> {
            events.beginAppend();
            return messages.insertAll(List.of(row));
        }).getFirst();
    }

    private static MessageRepository.NewMessage row(UUID chat, UUID sender, String clientId, String content,
                                                    Instant at, Mentions.Parsed mentions) {
        return new MessageRepository.NewMessage(UUID.randomUUID(), chat, sender, clientId, content, "text", "{}",
                null, at, mentions, null);
    }
}
