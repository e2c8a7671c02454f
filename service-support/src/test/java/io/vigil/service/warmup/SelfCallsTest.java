package io.vigil.service.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.SettableFuture;

class SelfCallsTest {

    @Test
    void sendsEveryCallMeasuresTheLastTenthAndCountsFailuresReportingTheFirstOnly() {
        List<Throwable> reported = new ArrayList<>();
        // Every third call fails: 0, 3, 6, ..., 99 -> 34 failures of 100.
        SelfCalls.Result r = SelfCalls.run(100, 4, System.nanoTime() + 10_000_000_000L,
                i -> i % 3 == 0 ? Futures.immediateFailedFuture(new IllegalStateException("call " + i))
                        : Futures.immediateFuture("ok"), reported::add);
        assertEquals(100, r.sent());
        assertEquals(34, r.failed());
        assertEquals(1, reported.size());
        assertEquals("call 0", reported.get(0).getMessage());
        // The tail is calls 90..99, of which 90, 93, 96, 99 failed: 6 measured, sorted.
        assertEquals(6, r.tailNanos().length);
        for (int i = 1; i < r.tailNanos().length; i++) {
            assertTrue(r.tailNanos()[i - 1] <= r.tailNanos()[i]);
        }
    }

    @Test
    void neverHasMoreInFlightThanTheConcurrencyAndStopsAtTheDeadline() {
        AtomicInteger started = new AtomicInteger();
        List<SettableFuture<Object>> pending = new ArrayList<>();
        // Calls that never complete: the third cannot start with concurrency 2, and the deadline ends the wait.
        SelfCalls.Result r = SelfCalls.run(10, 2, System.nanoTime() + 200_000_000L, i -> {
            started.incrementAndGet();
            SettableFuture<Object> f = SettableFuture.create();
            pending.add(f);
            return f;
        }, t -> { });
        assertEquals(2, started.get());
        assertEquals(2, r.sent());
        assertEquals(0, r.failed());
        assertEquals(0, r.tailNanos().length);
        assertEquals(0.0, r.tailMillis(0.99));
    }

    @Test
    void tailQuantilesAreNearestRank() {
        SelfCalls.Result r = new SelfCalls.Result(10, 0, new long[] {1_000_000, 2_000_000, 3_000_000, 4_000_000});
        assertEquals(2.0, r.tailMillis(0.5));
        assertEquals(4.0, r.tailMillis(0.99));
        assertEquals(1.0, r.tailMillis(0.0));
    }

    @Test
    void noCallsMeansNothingSent() {
        assertEquals(new SelfCalls.Result(0, 0, new long[0]).sent(),
                SelfCalls.run(0, 4, System.nanoTime() + 1_000_000_000L, i -> Futures.immediateFuture(1), t -> { }).sent());
    }
}
