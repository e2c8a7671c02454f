package io.vigil.incident;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for asynchronous consumption to show (no timing assertion: only a generous upper bound). */
public final class Await {

    private Await() {
    }

    public static <T> T until(String what, Supplier<T> probe) {
        return until(what, probe, 100);
    }

    public static <T> T until(String what, Supplier<T> probe, long pollMillis) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = probe.get();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (RuntimeException | AssertionError e) {
                last = e instanceof RuntimeException r ? r : new RuntimeException(e);
            }
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what, last);
    }
}
