package io.vigil.service.warmup;

import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;

/**
 * A warm-up's self-calls, then more rounds of them while the JIT compilers are still busy: compilation the calls set
 * off is still queued when they end, and the first real callers would pay for it. Bounded by the deadline.
 */
public final class WarmUpRounds {

    /** All calls sent and failed, extra rounds run, the last round's result and the compilers' share in it. */
    public record Outcome(int sent, int failed, int extraRounds, SelfCalls.Result last, double compilerShare) {
    }

    private WarmUpRounds() {
    }

    /**
     * @param round         sends n calls and reports them
     * @param calls         the first round's calls; each extra round sends a third of that
     * @param quietShare    extra rounds while the compilers' share of the last round's wall time exceeds this; 0: none
     * @param compilerShare the compilers' share since it was last asked (see {@link CompilerActivity#share()}), or
     *                      NaN when the JVM cannot tell (then no extra rounds)
     */
    public static Outcome run(IntFunction<SelfCalls.Result> round, int calls, double quietShare, long deadlineNanos,
            DoubleSupplier compilerShare) {
        compilerShare.getAsDouble(); // starts the first interval
        SelfCalls.Result last = round.apply(calls);
        double share = compilerShare.getAsDouble();
        int sent = last.sent();
        int failed = last.failed();
        int extra = 0;
        while (quietShare > 0 && calls > 0 && !Double.isNaN(share) && share > quietShare
                && System.nanoTime() < deadlineNanos) {
            last = round.apply(Math.max(1, calls / 3));
            share = compilerShare.getAsDouble();
            sent += last.sent();
            failed += last.failed();
            extra++;
        }
        return new Outcome(sent, failed, extra, last, share);
    }
}
