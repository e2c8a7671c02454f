package io.vigil.service.warmup;

import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;

/**
 * A service's warm-up calls to itself, before it says ready: up to {@code calls} asynchronous calls with at most
 * {@code concurrency} in flight, stopped at a deadline, and the latency of the last tenth of the calls, which says
 * how warm the path ended up. The caller supplies one call (its own stub and request); this class owns the pacing
 * and the figures, so the services' warm-ups measure the same way.
 */
public final class SelfCalls {

    /** What the warm-up did: calls sent, calls failed, and the sorted latencies (ns) of the measured tail. */
    public record Result(int sent, int failed, long[] tailNanos) {

        /** The q-quantile of the tail in milliseconds (nearest rank); 0 when nothing was measured. */
        public double tailMillis(double q) {
            if (tailNanos.length == 0) {
                return 0.0;
            }
            int rank = (int) Math.ceil(q * tailNanos.length) - 1;
            return tailNanos[Math.max(0, Math.min(tailNanos.length - 1, rank))] / 1e6;
        }
    }

    private SelfCalls() {
    }

    /**
     * @param call          starts call number i (0-based)
     * @param firstFailure  told about the first failure only, so a dead dependency logs once, not per call
     * @param deadlineNanos {@link System#nanoTime()} by which sending stops and in-flight calls are no longer awaited
     */
    public static Result run(int calls, int concurrency, long deadlineNanos, IntFunction<ListenableFuture<?>> call,
            Consumer<Throwable> firstFailure) {
        if (calls <= 0) {
            return new Result(0, 0, new long[0]);
        }
        int tail = Math.max(1, calls / 10);
        long[] latencies = new long[tail];
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger recorded = new AtomicInteger();
        Semaphore inFlight = new Semaphore(concurrency);
        int sent = 0;
        try {
            for (; sent < calls && System.nanoTime() < deadlineNanos; sent++) {
                if (!inFlight.tryAcquire(millisUntil(deadlineNanos), TimeUnit.MILLISECONDS)) {
                    break;
                }
                boolean measured = sent >= calls - tail;
                long t0 = System.nanoTime();
                Futures.addCallback(call.apply(sent), new FutureCallback<Object>() {
                    @Override
                    public void onSuccess(Object r) {
                        if (measured) {
                            int i = recorded.getAndIncrement();
                            if (i < latencies.length) {
                                latencies[i] = System.nanoTime() - t0;
                            }
                        }
                        inFlight.release();
                    }

                    @Override
                    public void onFailure(Throwable t) {
                        if (failed.incrementAndGet() == 1) {
                            firstFailure.accept(t);
                        }
                        inFlight.release();
                    }
                }, MoreExecutors.directExecutor());
            }
            inFlight.tryAcquire(concurrency, millisUntil(deadlineNanos), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long[] tailNanos = Arrays.copyOf(latencies, Math.min(recorded.get(), latencies.length));
        Arrays.sort(tailNanos);
        return new Result(sent, failed.get(), tailNanos);
    }

    private static long millisUntil(long deadlineNanos) {
        return Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }
}
