package app.confab.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A long-poll request waiting for something for its user. */
final class LongPollWaiter implements Recipient {

    private final UUID userId;
    private final UUID sessionId;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private final List<Delivery> ephemeral = new ArrayList<>();
    private boolean durableArrived;
    private boolean woken;
    private boolean sessionEnded;

    LongPollWaiter(UUID userId, UUID sessionId) {
        this.userId = userId;
        this.sessionId = sessionId;
    }

    /** The sign-in session of the request's access token. */
    UUID sessionId() {
        return sessionId;
    }

    /** The request's session ended (logout, revocation elsewhere): it answers 401 at once. */
    void sessionEnded() {
        lock.lock();
        try {
            sessionEnded = true;
            woken = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isSessionEnded() {
        lock.lock();
        try {
            return sessionEnded;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public UUID userId() {
        return userId;
    }

    @Override
    public void deliver(Delivery delivery) {
        lock.lock();
        try {
            if (delivery.durable()) {
                durableArrived = true;
            } else {
                ephemeral.add(delivery);
            }
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the wait early (the node is shutting down). */
    void wake() {
        lock.lock();
        try {
            woken = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until something arrives or the time is up; true when something (or a wake-up) came. */
    boolean await(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = nanos;
            while (!durableArrived && ephemeral.isEmpty() && !woken && remaining > 0) {
                remaining = signal.awaitNanos(remaining);
            }
            return durableArrived || !ephemeral.isEmpty() || woken;
        } finally {
            lock.unlock();
        }
    }

    boolean isWoken() {
        lock.lock();
        try {
            return woken;
        } finally {
            lock.unlock();
        }
    }

    /** Takes the ephemeral events collected so far and clears the durable flag. */
    List<Delivery> drainEphemeral() {
        lock.lock();
        try {
            List<Delivery> taken = new ArrayList<>(ephemeral);
            ephemeral.clear();
            durableArrived = false;
            return taken;
        } finally {
            lock.unlock();
        }
    }
}
