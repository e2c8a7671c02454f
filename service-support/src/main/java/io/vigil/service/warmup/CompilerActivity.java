package io.vigil.service.warmup;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * How busy the JIT compilers are: compilation time (summed over the compiler threads) per wall-clock time. A warm-up
 * that stops while the compilers are still busy hands the checkout's first calls a JVM whose compiler threads take
 * the cores: on 2 cores the outside Health/Check stalled as long as Score did in the first seconds after ready.
 */
public final class CompilerActivity {

    private final CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
    private long compileMillis;
    private long wallNanos;

    /** Starts measuring; {@link #share()} then covers the time since the last call to it (or since this). */
    public CompilerActivity() {
        mark();
    }

    /** Whether this JVM reports compilation time at all; without it the warm-up cannot wait for a quiet compiler. */
    public boolean supported() {
        return compiler != null && compiler.isCompilationTimeMonitoringSupported();
    }

    /**
     * Compilation time per wall time since the previous call (0.25: the compilers used a quarter of one core's time),
     * and starts the next interval; NaN when the JVM does not report compilation time.
     */
    public double share() {
        if (!supported()) {
            return Double.NaN;
        }
        long c = compileMillis;
        long w = wallNanos;
        mark();
        long wallMillis = Math.max(1, (wallNanos - w) / 1_000_000);
        return (double) (compileMillis - c) / wallMillis;
    }

    private void mark() {
        compileMillis = supported() ? compiler.getTotalCompilationTime() : 0;
        wallNanos = System.nanoTime();
    }
}
