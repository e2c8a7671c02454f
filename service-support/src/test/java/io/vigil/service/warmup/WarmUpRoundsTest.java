package io.vigil.service.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.stream.DoubleStream;

import org.junit.jupiter.api.Test;

class WarmUpRoundsTest {

    private final List<Integer> rounds = new ArrayList<>();

    private SelfCalls.Result round(int n) {
        rounds.add(n);
        return new SelfCalls.Result(n, 1, new long[0]);
    }

    /** The first value starts the interval; each later one is the share over the round just run. */
    private static java.util.function.DoubleSupplier shares(double... values) {
        PrimitiveIterator.OfDouble it = DoubleStream.of(values).iterator();
        return it::nextDouble;
    }

    private static long later() {
        return System.nanoTime() + 60_000_000_000L;
    }

    @Test
    void extraRoundsOfAThirdWhileTheCompilersAreBusy() {
        WarmUpRounds.Outcome o = WarmUpRounds.run(this::round, 1500, 0.10, later(), shares(0, 0.9, 0.4, 0.11, 0.05));
        assertEquals(List.of(1500, 500, 500, 500), rounds);
        assertEquals(new WarmUpRounds.Outcome(3000, 4, 3, o.last(), 0.05), o);
    }

    @Test
    void noExtraRoundWhenQuietAtOnceOrTurnedOffOrUnknown() {
        assertEquals(0, WarmUpRounds.run(this::round, 1500, 0.10, later(), shares(0, 0.10)).extraRounds());
        assertEquals(0, WarmUpRounds.run(this::round, 1500, 0.0, later(), shares(0, 0.9)).extraRounds());
        assertEquals(0, WarmUpRounds.run(this::round, 1500, 0.10, later(), shares(Double.NaN, Double.NaN)).extraRounds());
        assertEquals(List.of(1500, 1500, 1500), rounds);
    }

    @Test
    void theDeadlineEndsTheRounds() {
        WarmUpRounds.Outcome o = WarmUpRounds.run(this::round, 300, 0.10, System.nanoTime() - 1, shares(0, 0.9));
        assertEquals(0, o.extraRounds());
        assertEquals(List.of(300), rounds);
    }
}
