package io.vigil.guardrail.monitor.counting;

/**
 * One source partition's counts of a monitor in one bucket of event time, as they stand (absolute, not a delta):
 * writing one twice, or again after a restore from the changelog, leaves the same row.
 *
 * @param granularity MINUTE (what the detector folds) or HOUR (the history baselines are built from)
 * @param bucketStartMillis the bucket's start, epoch milliseconds
 * @param events the counted events (orders for conversion; see MonitorMetric.badEvents)
 */
public record MonitorCount(String monitorId, Granularity granularity, long bucketStartMillis, int partition,
        long exposure, long events) {

    public enum Granularity {
        MINUTE(60_000L), HOUR(3_600_000L);

        private final long millis;

        Granularity(long millis) {
            this.millis = millis;
        }

        public long millis() {
            return millis;
        }
    }
}
