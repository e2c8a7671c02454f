package io.vigil.guardrail.analysis.ledger;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.vigil.guardrail.analysis.InvalidAnalysisException;

/**
 * An event-time window [from, to). "The future" is after the latest of the wall clock and the ledger's newest event
 * time: a simulated day replayed fast runs ahead of the wall clock, and its windows are not the future. A window that
 * starts there, or ends before it starts, is refused naming the field; a missing end is "now" (that latest time), a
 * missing start is 24 hours before the end.
 */
public record Window(Instant from, Instant to) {

    public static final Duration DEFAULT_LENGTH = Duration.ofHours(24);

    public Duration length() {
        return Duration.between(from, to);
    }

    /** The window of the same length just before this one (the default baseline). */
    public Window preceding() {
        return new Window(from.minus(length()), from);
    }

    /** @param now the latest of the wall clock and the ledger's newest event time */
    public static Window of(String fromText, String toText, Instant now) {
        Instant to = toText == null || toText.isBlank() ? now : instant(toText, "to");
        Instant from = fromText == null || fromText.isBlank() ? to.minus(DEFAULT_LENGTH) : instant(fromText, "from");
        if (from.isAfter(now)) {
            throw new InvalidAnalysisException("from", "the window starts in the future (" + from + " is after "
                    + now + ", the latest event time and clock)");
        }
        if (!from.isBefore(to)) {
            throw new InvalidAnalysisException(fromText == null || fromText.isBlank() ? "to" : "from",
                    "the window is inverted or empty: from " + from + " is not before to " + to);
        }
        return new Window(from, to);
    }

    /** An instant in ISO-8601 ({@code 2026-11-27T09:00:00Z}); anything else is refused naming {@code field}. */
    public static Instant instant(String text, String field) {
        Instant t;
        try {
            t = Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidAnalysisException(field, "not an ISO-8601 instant such as 2026-11-27T09:00:00Z: '"
                    + text.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        // PostgreSQL's timestamptz and Java's OffsetDateTime both end long before Instant.MAX; no payment is older
        // than 1970.
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw new InvalidAnalysisException(field, "must lie between " + EARLIEST + " and " + LATEST + ", got " + t);
        }
        return t;
    }

    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
}
