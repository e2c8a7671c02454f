package io.vigil.guardrail.monitor;

/** A monitor's counts in one event-time hour: exposure and bad events (see {@link MonitorMetric#badEvents}). */
public record HourCounts(long exposure, long badEvents) {

    public static final HourCounts NONE = new HourCounts(0, 0);

    public HourCounts {
        if (exposure < 0 || badEvents < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + badEvents + " of " + exposure);
        }
    }

    /** The hour's counts of a monitor, by epoch hour; {@link #NONE} for an hour without traffic. */
    @FunctionalInterface
    public interface History {
        HourCounts at(long epochHour);
    }
}
