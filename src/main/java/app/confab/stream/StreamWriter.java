package app.confab.stream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import jakarta.annotation.PreDestroy;

/**
 * Group commit for the event stream. Event-producing transactions serialize on the stream lock
 * from their first position to their commit, so one at a time pays a lock hand-over and a WAL
 * flush per message. Writers hand their transaction body here instead; one thread runs everything
 * that queued up meanwhile in a single transaction — one lock, one commit, one flush for the lot —
 * and hands each writer its own result. Nothing waits on purpose: a batch is whatever arrived while
 * the previous one committed, so a lone message goes out at once.
 *
 * <p>If any body fails, the batch rolls back (nothing of it was published: events go to the bus only
 * after commit) and each body runs again in its own transaction, so one bad write fails alone. A
 * body therefore runs at most twice and must do nothing but database work in its transaction; it
 * runs on the writer thread, so it must never call {@link #execute} itself.
 *
 * <p>Within a batch, {@link EventStore} buffers the bodies' appends and writes them with one
 * multi-row insert before the commit, which reads each chat's audience too; so bodies must not change
 * chat membership (they send messages). Writes of one kind can go in one statement for the batch
 * too ({@link BatchStatement}: the message inserts), run before the bodies that need their results.
 * A batch of N sends costs one message insert (each row taking its position in it), one event
 * insert that also reads the audience, one lock and one commit: the serial section does not grow by
 * a round trip per message.
 */
@Component
public class StreamWriter {

    private static final Logger log = LoggerFactory.getLogger(StreamWriter.class);
    private static final int MAX_BATCH = 256;

    /**
     * One statement for all of a batch's writes of one kind (message inserts), run before their
     * bodies: the batch's inputs in queue order in, one result per input (null: nothing stored) out.
     * It takes the stream lock itself ({@code EventStore.beginAppend()}).
     */
    @FunctionalInterface
    public interface BatchStatement<I, R> {
        List<R> run(List<I> inputs);
    }

    /** A body, and the batch statement (or null) whose result for {@code input} it takes. */
    private record Task<T>(BatchStatement<Object, Object> statement, Object input,
                           BiFunction<TransactionStatus, Object, T> body, CompletableFuture<T> result) {
    }

    private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final TransactionTemplate transaction;
    /** Writes each batch's events in one statement (null: bodies' appends go straight to the database). */
    private final EventStore events;
    private final Thread writer;
    private volatile boolean running = true;

    /** Without an event store: for tests of the batching alone. */
    StreamWriter(TransactionTemplate transaction) {
        this(transaction, null);
    }

    @Autowired
    public StreamWriter(TransactionTemplate transaction, EventStore events) {
        this.transaction = transaction;
        this.events = events;
        this.writer = Thread.ofPlatform().daemon().name("stream-writer").start(this::run);
    }

    /** Runs {@code body} in a stream transaction (possibly shared with others) and returns its result. */
    public <T> T execute(Function<TransactionStatus, T> body) {
        return submit(new Task<>(null, null, (status, ignored) -> body.apply(status), new CompletableFuture<>()));
    }

    /**
     * As {@link #execute(Function)}, for a body that needs what {@code statement} wrote for its
     * {@code input}: the statement runs once for every such task of the batch (the same statement
     * instance), then each body runs with its own result.
     */
    @SuppressWarnings("unchecked")
    public <I, R, T> T execute(BatchStatement<I, R> statement, I input, BiFunction<TransactionStatus, R, T> body) {
        return submit(new Task<>((BatchStatement<Object, Object>) statement, input,
                (status, result) -> body.apply(status, (R) result), new CompletableFuture<>()));
    }

    private <T> T submit(Task<T> task) {
        queue.add(task);
        try {
            return task.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Bodies waiting for the writer thread (for tests). */
    int queued() {
        return queue.size();
    }

    private void run() {
        List<Task<?>> batch = new ArrayList<>(MAX_BATCH);
        while (running) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
                runBatch(batch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                log.error("stream writer batch failed", e);
                for (Task<?> task : batch) {
                    task.result().completeExceptionally(e);
                }
            } finally {
                batch.clear();
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void runBatch(List<Task<?>> batch) {
        if (batch.size() > 1) {
            try {
                List<Object> results = runTogether(batch);
                for (int i = 0; i < batch.size(); i++) {
                    ((CompletableFuture) batch.get(i).result()).complete(results.get(i));
                }
                return;
            } catch (RuntimeException e) {
                log.debug("batch of {} failed; running each alone", batch.size(), e);
            }
        }
        for (Task<?> task : batch) {
            try {
                Object result = runTogether(List.of(task)).getFirst();
                ((CompletableFuture) task.result()).complete(result);
            } catch (RuntimeException | Error e) {
                task.result().completeExceptionally(e);
            }
        }
    }

    /**
     * Runs the bodies in one transaction. Their stream appends are buffered and written together
     * just before the commit (one insert for all events, one audience read per chat).
     */
    private List<Object> runTogether(List<Task<?>> tasks) {
        return transaction.execute(status -> {
            List<Object> results = new ArrayList<>(tasks.size());
            EventStore.Batch buffered = events == null ? null : new EventStore.Batch();
            if (buffered != null) {
                TransactionSynchronizationManager.bindResource(EventStore.BATCH, buffered);
            }
            try {
                Object[] written = runStatements(tasks);
                for (int i = 0; i < tasks.size(); i++) {
                    results.add(tasks.get(i).body().apply(status, written[i]));
                }
                if (buffered != null) {
                    events.flush(buffered);
                }
            } finally {
                if (buffered != null) {
                    TransactionSynchronizationManager.unbindResource(EventStore.BATCH);
                }
            }
            return results;
        });
    }

    /** Each batch statement once, for its tasks' inputs in queue order; the result of each task. */
    private static Object[] runStatements(List<Task<?>> tasks) {
        Object[] written = new Object[tasks.size()];
        Map<BatchStatement<Object, Object>, List<Integer>> byStatement = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).statement() != null) {
                byStatement.computeIfAbsent(tasks.get(i).statement(), k -> new ArrayList<>()).add(i);
            }
        }
        byStatement.forEach((statement, indexes) -> {
            List<Object> results = statement.run(indexes.stream().map(i -> tasks.get(i).input()).toList());
            if (results.size() != indexes.size()) {
                throw new IllegalStateException("A batch statement answered " + results.size() + " of " + indexes.size());
            }
            for (int k = 0; k < indexes.size(); k++) {
                written[indexes.get(k)] = results.get(k);
            }
        });
        return written;
    }

    @PreDestroy
    void stop() {
        running = false;
        writer.interrupt();
        // Writers still waiting get an answer rather than hanging through shutdown.
        List<Task<?>> left = new ArrayList<>();
        queue.drainTo(left);
        for (Task<?> task : left) {
            task.result().completeExceptionally(new IllegalStateException("The server is shutting down"));
        }
    }
}
