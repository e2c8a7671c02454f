package io.vigil.simulator.publish;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.vigil.contracts.events.v1.OutcomeRecorded;

/**
 * A bounded buffer between the simulation and Kafka: outcome events wait here, leave in the order they came, and are
 * retried with backoff while Kafka is down. Nothing is lost silently: an event that finds the buffer full is dropped
 * and counted, one still here when the run closes is counted as undelivered, one that needed a retry is counted as
 * delayed.
 *
 * <p>One sender thread sends a window of events from the head, waits for every acknowledgement, and puts the failed
 * ones back at the head in their original order before it backs off: per-key order survives an outage.
 */
public final class OutcomeBuffer implements AutoCloseable {

    /** Sends one event; completes when the broker acknowledged it, exceptionally when it did not. */
    public interface Sender {
        CompletableFuture<?> send(OutcomeRecorded outcome);
    }

    /** What happened to the events offered so far. */
    public record Counts(long offered, long sent, long delayed, long dropped, long undelivered, int waiting,
            long failedAttempts) {
    }

    private final Sender sender;
    private final int capacity;
    private final int window;
    private final Duration maxBackoff;
    private final ArrayDeque<OutcomeRecorded> queue = new ArrayDeque<>();
    private final Set<String> retried = new HashSet<>();
    private final Thread thread;
    private int inFlight;
    private long offered;
    private long sent;
    private long delayed;
    private long dropped;
    private long undelivered;
    private long failedAttempts;
    private boolean closing;

    public OutcomeBuffer(Sender sender, int capacity, int window, Duration maxBackoff) {
        if (capacity < 1 || window < 1) {
            throw new IllegalArgumentException("capacity and window must be positive");
        }
        this.sender = sender;
        this.capacity = capacity;
        this.window = window;
        this.maxBackoff = maxBackoff;
        this.thread = new Thread(this::run, "outcome-sender");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues an event; false (and counted as dropped) when the buffer is full. */
    public synchronized boolean offer(OutcomeRecorded outcome) {
        offered++;
        if (queue.size() + inFlight >= capacity) {
            dropped++;
            return false;
        }
        queue.addLast(outcome);
        notifyAll();
        return true;
    }

    public synchronized Counts counts() {
        return new Counts(offered, sent, delayed, dropped, undelivered, queue.size() + inFlight, failedAttempts);
    }

    private void run() {
        long backoffMillis = 0;
        while (true) {
            List<OutcomeRecorded> batch;
            synchronized (this) {
                while (queue.isEmpty() && !closing) {
                    waitQuietly(0);
                }
                if (queue.isEmpty()) {
                    return;
                }
                batch = new ArrayList<>(Math.min(window, queue.size()));
                while (batch.size() < window && !queue.isEmpty()) {
                    batch.add(queue.pollFirst());
                }
                inFlight = batch.size();
            }
            List<CompletableFuture<?>> acks = new ArrayList<>(batch.size());
            for (OutcomeRecorded o : batch) {
                CompletableFuture<?> f;
                try {
                    f = sender.send(o);
                } catch (RuntimeException refused) {
                    f = CompletableFuture.failedFuture(refused);
                }
                acks.add(f);
            }
            List<OutcomeRecorded> failed = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                try {
                    acks.get(i).get(5, TimeUnit.MINUTES);
                } catch (Exception e) {
                    failed.add(batch.get(i));
                }
            }
            synchronized (this) {
                inFlight = 0;
                for (OutcomeRecorded o : batch) {
                    if (!failed.contains(o)) {
                        sent++;
                        if (retried.remove(o.getOutcomeId())) {
                            delayed++;
                        }
                    }
                }
                for (int i = failed.size() - 1; i >= 0; i--) {
                    queue.addFirst(failed.get(i));
                    retried.add(failed.get(i).getOutcomeId());
                }
                failedAttempts += failed.isEmpty() ? 0 : 1;
                notifyAll();
                if (failed.isEmpty()) {
                    backoffMillis = 0;
                } else {
                    backoffMillis = Math.min(maxBackoff.toMillis(), Math.max(100, backoffMillis * 2));
                    if (closing && System.nanoTime() > closeDeadline) {
                        return;
                    }
                    waitQuietly(backoffMillis);
                }
            }
        }
    }

    private long closeDeadline = Long.MAX_VALUE;

    /**
     * Waits up to {@code timeout} for everything queued to be sent; what is left is counted as undelivered.
     */
    public void close(Duration timeout) {
        synchronized (this) {
            closing = true;
            closeDeadline = System.nanoTime() + timeout.toNanos();
            notifyAll();
        }
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            undelivered = queue.size() + inFlight;
            queue.clear();
            closing = true;
            notifyAll();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private void waitQuietly(long millis) {
        try {
            wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
