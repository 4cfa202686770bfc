package app.confab.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
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
 */
@Component
public class StreamWriter {

    private static final Logger log = LoggerFactory.getLogger(StreamWriter.class);
    private static final int MAX_BATCH = 256;

    private record Task<T>(Function<TransactionStatus, T> body, CompletableFuture<T> result) {
    }

    private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final TransactionTemplate transaction;
    private final Thread writer;
    private volatile boolean running = true;

    public StreamWriter(TransactionTemplate transaction) {
        this.transaction = transaction;
        this.writer = Thread.ofPlatform().daemon().name("stream-writer").start(this::run);
    }

    /** Runs {@code body} in a stream transaction (possibly shared with others) and returns its result. */
    public <T> T execute(Function<TransactionStatus, T> body) {
        Task<T> task = new Task<>(body, new CompletableFuture<>());
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
            List<Object> results = new ArrayList<>(batch.size());
            try {
                transaction.executeWithoutResult(status -> {
                    for (Task<?> task : batch) {
                        results.add(task.body().apply(status));
                    }
                });
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
                Object result = transaction.execute(status -> task.body().apply(status));
                ((CompletableFuture) task.result()).complete(result);
            } catch (RuntimeException | Error e) {
                task.result().completeExceptionally(e);
            }
        }
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
