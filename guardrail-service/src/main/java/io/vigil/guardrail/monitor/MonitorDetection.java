package io.vigil.guardrail.monitor;

import io.vigil.guardrail.statistics.RateIncreaseDetector;

/**
 * One monitor's detector, folded a settled minute at a time: the rollouts' {@link RateIncreaseDetector} (a
 * Shiryaev-Roberts e-detector, valid under continuous looking) against the minute's baseline instead of a control
 * arm, with restart points at each whole hour of event time, and the family's paging threshold
 * ({@link MonitorFamily}). Pure: the state in, the state and what changed out.
 *
 * <p>Alarm: the statistic reaches the paging threshold (family-wise false pages at most alpha per day of event time
 * under any dependence). Recovery: an hour of event time ends with the statistic below 1, i.e. the evidence for a
 * rise since any restart point has been spent by data at the baseline. A minute without a baseline leaves the
 * statistic as it was (the monitor says NO_BASELINE) rather than judging against a guess.
 */
public final class MonitorDetection {

    /** A monitor's detector state as stored. */
    public record Snapshot(RateIncreaseDetector.State detector, MonitorState state, long alarmSinceMinute) {
    }

    /** What folding one minute did. */
    public enum Change {
        NONE, ALARM, RECOVERED
    }

    public record Step(Snapshot snapshot, Change change, double logStatistic) {
    }

    private final RateIncreaseDetector detector;
    private final MonitorFamily family;

    public MonitorDetection(RateIncreaseDetector detector, MonitorFamily family) {
        this.detector = detector;
        this.family = family;
    }

    public Snapshot start() {
        return new Snapshot(detector.start(), MonitorState.NO_BASELINE, -1);
    }

    public double logStatistic(Snapshot s) {
        return detector.logStatistic(s.detector());
    }

    public double logPageThreshold() {
        return family.logPageThreshold();
    }

    /**
     * Folds event-time minute {@code epochMinute} ({@code badEvents} of {@code exposure}) against {@code baseline}.
     * Bad events above the exposure (possible for the incorrect-approval proxy, whose labels and approvals come
     * from different payments) are capped at the exposure.
     */
    public Step fold(Snapshot s, long epochMinute, long exposure, long badEvents, MonitorBaseline baseline) {
        if (!baseline.known()) {
            MonitorState state = s.state() == MonitorState.ALARM ? MonitorState.ALARM : MonitorState.NO_BASELINE;
            Snapshot next = new Snapshot(s.detector(), state, s.alarmSinceMinute());
            return new Step(next, Change.NONE, detector.logStatistic(s.detector()));
        }
        boolean restart = Math.floorMod(epochMinute, 60) == 0;
        RateIncreaseDetector.State d = detector.update(s.detector(), Math.min(badEvents, exposure), exposure,
                baseline.rate(), restart);
        double logStatistic = detector.logStatistic(d);
        if (s.state() != MonitorState.ALARM && family.pages(logStatistic)) {
            return new Step(new Snapshot(d, MonitorState.ALARM, epochMinute), Change.ALARM, logStatistic);
        }
        boolean hourEnds = Math.floorMod(epochMinute, 60) == 59;
        if (s.state() == MonitorState.ALARM && hourEnds && logStatistic < 0) {
            return new Step(new Snapshot(d, MonitorState.OK, -1), Change.RECOVERED, logStatistic);
        }
        MonitorState state = s.state() == MonitorState.ALARM ? MonitorState.ALARM : MonitorState.OK;
        return new Step(new Snapshot(d, state, s.alarmSinceMinute()), Change.NONE, logStatistic);
    }
}
