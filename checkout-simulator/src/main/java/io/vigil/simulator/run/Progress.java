package io.vigil.simulator.run;

import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Map;

import io.vigil.simulator.publish.OutcomeBuffer;

/**
 * The live one-line progress: simulated time, payments per second, decisions by kind, fallbacks, errors, outcome
 * events. On a terminal the line is rewritten every half second; otherwise a plain line every 10 s (logs stay
 * readable), as bin/vigil does.
 */
final class Progress {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final PrintStream out;
    private final boolean tty;
    private final long interval;
    private long last = System.nanoTime();
    private long lastPayments;
    private boolean dirty;

    Progress(PrintStream out, boolean tty) {
        this.out = out;
        this.tty = tty;
        this.interval = tty ? 500_000_000L : 10_000_000_000L;
    }

    void update(Instant simNow, Map<String, Long> decisions, Map<String, Long> fallbacks, Map<String, Long> errors,
            OutcomeBuffer.Counts outcomes, long lagNanos) {
        long now = System.nanoTime();
        if (out == null || now - last < interval) {
            return;
        }
        long payments = decisions.values().stream().mapToLong(Long::longValue).sum();
        double rate = (payments - lastPayments) / ((now - last) / 1e9);
        last = now;
        lastPayments = payments;
        StringBuilder line = new StringBuilder().append("sim ").append(TIME.format(simNow))
                .append(String.format(" | %6.1f pay/s | ", rate));
        decisions.forEach((k, v) -> line.append(k.toLowerCase()).append(' ').append(v).append(' '));
        line.append("| fallbacks ").append(fallbacks.values().stream().mapToLong(Long::longValue).sum())
                .append(" | errors ").append(errors.values().stream().mapToLong(Long::longValue).sum())
                .append(" | outcomes ").append(outcomes.sent()).append(" sent, ").append(outcomes.waiting())
                .append(" waiting");
        if (outcomes.dropped() > 0) {
            line.append(", ").append(outcomes.dropped()).append(" dropped");
        }
        line.append(String.format(" | lag %d ms", lagNanos / 1_000_000));
        if (tty) {
            out.print("\r" + line + "   ");
            dirty = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    void note(String message) {
        if (out == null) {
            return;
        }
        if (dirty) {
            out.println();
            dirty = false;
        }
        out.println(message);
    }

    void finish() {
        if (out != null && dirty) {
            out.println();
            dirty = false;
        }
    }
}
