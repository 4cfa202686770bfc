package app.confab.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit without a database: a transaction manager that only counts commits and rollbacks
 * shows how StreamWriter batches, and how a failing body makes the batch roll back and every body
 * run again alone, so only the bad one fails.
 */
class StreamWriterTest {

    private static final class CountingTransactions extends AbstractPlatformTransactionManager {
        final AtomicInteger commits = new AtomicInteger();
        final AtomicInteger rollbacks = new AtomicInteger();

        @Override
        protected Object doGetTransaction() {
            return new Object();
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            commits.incrementAndGet();
        }

        @Override
        protected void doRollback(DefaultTransactionStatus status) {
            rollbacks.incrementAndGet();
        }
    }

    private final CountingTransactions transactions = new CountingTransactions();
    private final StreamWriter writer = new StreamWriter(new TransactionTemplate(transactions));
    /** Callers block in execute(); each gets its own thread (the common pool may have just one). */
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        writer.stop();
        threads.shutdownNow();
    }

    @Test
    void aFailingBodyRollsTheBatchBackAndFailsAloneWhenEachRunsAgain() throws Exception {
        CountDownLatch blockerRunning = new CountDownLatch(1);
        CountDownLatch releaseBlocker = new CountDownLatch(1);
        CompletableFuture<String> blocker = CompletableFuture.supplyAsync(() -> writer.execute(status -> {
            blockerRunning.countDown();
            hold(releaseBlocker);
            return "blocker";
        }), threads);
        assertThat(blockerRunning.await(10, TimeUnit.SECONDS)).isTrue();

        List<String> runs = new CopyOnWriteArrayList<>();
        // Queued while the blocker's transaction is open: the writer takes the three as one batch.
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> writer.execute(status -> {
            runs.add("first");
            return "first";
        }), threads);
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == 1);
        CompletableFuture<String> bad = CompletableFuture.supplyAsync(() -> writer.execute(status -> {
            runs.add("bad");
            throw new IllegalStateException("bad body");
        }), threads);
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == 2);
        CompletableFuture<String> last = CompletableFuture.supplyAsync(() -> writer.execute(status -> {
            runs.add("last");
            return "last";
        }), threads);
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == 3);
        releaseBlocker.countDown();

        assertThat(blocker.get(10, TimeUnit.SECONDS)).isEqualTo("blocker");
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(last.get(10, TimeUnit.SECONDS)).isEqualTo("last");
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("bad body");
        // The batch ran first and bad, rolled back, then each body alone: at most twice each.
        assertThat(runs).containsExactly("first", "bad", "first", "bad", "last");
        // Commits: the blocker, then first and last alone. Rollbacks: the batch, then bad alone.
        assertThat(transactions.commits).hasValue(3);
        assertThat(transactions.rollbacks).hasValue(2);
    }

    @Test
    void aLoneBodyThatFailsRunsOnceInItsOwnRolledBackTransaction() {
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> writer.execute(status -> {
            runs.incrementAndGet();
            throw new IllegalStateException("bad body");
        })).isInstanceOf(IllegalStateException.class).hasMessage("bad body");

        assertThat(runs).as("no batch to fall back from: it is not run again").hasValue(1);
        assertThat(transactions.rollbacks).hasValue(1);
        assertThat(transactions.commits).hasValue(0);
    }

    @Test
    void bodiesQueuedTogetherShareOneCommit() throws Exception {
        CountDownLatch blockerRunning = new CountDownLatch(1);
        CountDownLatch releaseBlocker = new CountDownLatch(1);
        CompletableFuture<Integer> blocker = CompletableFuture.supplyAsync(() -> writer.execute(status -> {
            blockerRunning.countDown();
            hold(releaseBlocker);
            return 0;
        }), threads);
        assertThat(blockerRunning.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Integer>> sends = new CopyOnWriteArrayList<>();
        for (int i = 1; i <= 5; i++) {
            int value = i;
            sends.add(CompletableFuture.supplyAsync(() -> writer.execute(status -> value), threads));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == 5);
        releaseBlocker.countDown();

        blocker.get(10, TimeUnit.SECONDS);
        for (int i = 0; i < sends.size(); i++) {
            assertThat(sends.get(i).get(10, TimeUnit.SECONDS)).isBetween(1, 5);
        }
        assertThat(transactions.commits).as("the blocker's commit, then one for all five").hasValue(2);
        assertThat(transactions.rollbacks).hasValue(0);
    }

    @Test
    void aBatchStatementRunsOnceForTheBatchAndEachBodyGetsItsOwnResult() throws Exception {
        CountDownLatch blockerRunning = new CountDownLatch(1);
        CountDownLatch releaseBlocker = new CountDownLatch(1);
        CompletableFuture<Integer> blocker = CompletableFuture.supplyAsync(() -> writer.execute(status -> {
            blockerRunning.countDown();
            hold(releaseBlocker);
            return 0;
        }), threads);
        assertThat(blockerRunning.await(10, TimeUnit.SECONDS)).isTrue();
        List<List<Integer>> statementRuns = new CopyOnWriteArrayList<>();
        // Doubles each input; null for 3 (a row the statement skipped).
        StreamWriter.BatchStatement<Integer, Integer> doubling = inputs -> {
            statementRuns.add(List.copyOf(inputs));
            return inputs.stream().map(i -> i == 3 ? null : i * 2).toList();
        };
        List<CompletableFuture<String>> sends = new CopyOnWriteArrayList<>();
        for (int i = 1; i <= 4; i++) {
            int value = i;
            sends.add(CompletableFuture.supplyAsync(() -> writer.execute(doubling, value,
                    (status, doubled) -> value + "->" + doubled), threads));
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == value);
        }
        // A plain body in the same batch gets no statement result and does not disturb the others'.
        CompletableFuture<String> plain = CompletableFuture.supplyAsync(() -> writer.execute(status -> "plain"), threads);
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == 5);
        releaseBlocker.countDown();

        blocker.get(10, TimeUnit.SECONDS);
        assertThat(sends.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("1->2");
        assertThat(sends.get(1).get(10, TimeUnit.SECONDS)).isEqualTo("2->4");
        assertThat(sends.get(2).get(10, TimeUnit.SECONDS)).isEqualTo("3->null");
        assertThat(sends.get(3).get(10, TimeUnit.SECONDS)).isEqualTo("4->8");
        assertThat(plain.get(10, TimeUnit.SECONDS)).isEqualTo("plain");
        assertThat(statementRuns).as("one statement for the four, in queue order").containsExactly(List.of(1, 2, 3, 4));
        assertThat(transactions.commits).hasValue(2);
    }

    private static void hold(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
