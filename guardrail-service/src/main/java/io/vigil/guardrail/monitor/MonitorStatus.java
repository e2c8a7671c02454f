package io.vigil.guardrail.monitor;

/**
 * A monitor as its last evaluation left it (what is stored, served over REST and as gauges).
 *
 * @param evaluatedThroughMinute the last folded event-time minute (epoch minutes)
 * @param hourExposure exposure over the last 60 folded minutes
 * @param hourBadEvents bad events over them (non-conversions for conversion)
 * @param baseline the baseline of the last folded minute's hour
 */
public record MonitorStatus(String monitorId, MonitorDetection.Snapshot snapshot, long evaluatedThroughMinute,
        long hourExposure, long hourBadEvents, MonitorBaseline baseline, double logStatistic) {

    public MonitorState state() {
        return snapshot.state();
    }

    /** The bad rate over the last hour folded; NaN without exposure. */
    public double hourBadRate() {
        return hourExposure == 0 ? Double.NaN : (double) hourBadEvents / hourExposure;
    }
}
