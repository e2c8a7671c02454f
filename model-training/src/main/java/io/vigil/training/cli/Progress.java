package io.vigil.training.cli;

import java.io.PrintStream;

/**
 * Rows-done progress on stderr, so stdout stays clean for data: on a terminal one line rewritten twice a second; in a
 * log (no console) a plain line every five seconds, since carriage returns would make one endless line there.
 */
public final class Progress {

    private final PrintStream err;
    private final String what;
    private final long total;
    private final long started = System.nanoTime();
    private final boolean terminal = System.console() != null;
    private long lastPrint;

    public Progress(PrintStream err, String what, long total) {
        this.err = err;
        this.what = what;
        this.total = total;
    }

    public void update(long done) {
        long now = System.nanoTime();
        if (now - lastPrint < (terminal ? 500_000_000L : 5_000_000_000L)) {
            return;
        }
        lastPrint = now;
        double seconds = (now - started) / 1e9;
        String share = total > 0 ? String.format(" (%.0f%%)", 100.0 * done / total) : "";
        err.printf(terminal ? "\r%s: %,d rows%s, %.1f s" : "%s: %,d rows%s, %.1f s%n", what, done, share, seconds);
        err.flush();
    }

    public void done(long rows) {
        double seconds = (System.nanoTime() - started) / 1e9;
        err.printf((terminal ? "\r" : "") + "%s: %,d rows in %.1f s (%,.0f rows/s)%n", what, rows, seconds,
                rows / Math.max(seconds, 1e-9));
        err.flush();
    }
}
