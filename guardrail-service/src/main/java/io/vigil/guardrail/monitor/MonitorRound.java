package io.vigil.guardrail.monitor;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.guardrail.statistics.RateIncreaseDetector;

/**
 * One evaluation of all monitors: each folds its settled minutes since the last round, in order, against the
 * baseline of each minute's hour, and what paged or recovered becomes a verdict. Plain: counts, history and the
 * stored states in, the new states and the verdicts out (the store and the outbox are the caller's), so a replay of
 * the same counts gives the same verdicts with the same ids.
 */
public final class MonitorRound {

    /**
     * Baselines' settings, and how far back a monitor catches up: minutes older than {@code catchUpMinutes} before
     * what has settled are not folded (their counts are pruned by then; a monitor first seen, or one whose service
     * was down for days, starts from there instead of walking every empty minute).
     */
    public record BaselineSettings(int seasonalWeeks, int trailingHours, long minimumExposure, long catchUpMinutes) {

        public BaselineSettings(int seasonalWeeks, int trailingHours, long minimumExposure) {
            this(seasonalWeeks, trailingHours, minimumExposure, 12 * 60);
        }
    }

    /** A monitor's counts by minute: epoch minute -> {exposure, counted events}, summed over partitions. */
    public interface MinuteCounts {
        NavigableMap<Long, long[]> of(String monitorId);
    }

    /** Raw hour counts (counted events, not yet bad events) of a monitor, by epoch hour. */
    public interface HourHistory {
        long[] at(String monitorId, long epochHour);
    }

    public record Result(List<MonitorStatus> changed, List<VerdictIssued> verdicts) {
    }

    private final MonitorCatalog catalog;
    private final Map<MonitorMetric, MonitorDetection> detections = new EnumMap<>(MonitorMetric.class);
    private final BaselineSettings baselines;
    private final MonitorFamily family;
    private final double alpha;

    /** @param alpha family-wise false pages per day of event time, over all the catalog's monitors */
    public MonitorRound(MonitorCatalog catalog, double alpha, BaselineSettings baselines) {
        this.catalog = catalog;
        this.baselines = baselines;
        this.alpha = alpha;
        // Hourly restart points: 24 in a day, the horizon alpha is spent over.
        this.family = new MonitorFamily(catalog.size(), 24, alpha);
        for (MonitorMetric m : MonitorMetric.values()) {
            detections.put(m, new MonitorDetection(new RateIncreaseDetector(m.alternatives()), family));
        }
    }

    public BaselineSettings baselines() {
        return baselines;
    }

    public MonitorFamily family() {
        return family;
    }

    public double alpha() {
        return alpha;
    }

    public MonitorDetection detection(MonitorMetric metric) {
        return detections.get(metric);
    }

    /**
     * @param stored the monitors' states as stored (absent: never evaluated; it starts at its first counted minute)
     * @param settledThrough per metric, the last event-time minute every live partition has counted past, with that
     *        metric's settle (none: nothing to fold)
     */
    public Result evaluate(Map<String, MonitorStatus> stored, MinuteCounts minutes, HourHistory history,
            Map<MonitorMetric, Long> settledThrough) {
        List<MonitorStatus> changed = new ArrayList<>();
        List<VerdictIssued> verdicts = new ArrayList<>();
        for (MonitorDefinition def : catalog.monitors()) {
            Long through = settledThrough.get(def.metric());
            if (through == null) {
                continue;
            }
            NavigableMap<Long, long[]> counts = minutes.of(def.id());
            MonitorStatus status = stored.get(def.id());
            long from;
            MonitorDetection detection = detections.get(def.metric());
            MonitorDetection.Snapshot snapshot;
            if (status == null) {
                if (counts.isEmpty() || counts.firstKey() > through) {
                    continue;
                }
                from = counts.firstKey();
                snapshot = detection.start();
            } else {
                from = status.evaluatedThroughMinute() + 1;
                snapshot = status.snapshot();
            }
            from = Math.max(from, through - baselines.catchUpMinutes() + 1);
            if (from > through) {
                continue;
            }
            Map<Long, MonitorBaseline> byHour = new HashMap<>();
            HourCounts.History h = hour -> {
                long[] c = history.at(def.id(), hour);
                return c == null ? HourCounts.NONE
                        : new HourCounts(c[0], def.metric().badEvents(c[0], c[1]));
            };
            double logStatistic = status == null ? Double.NEGATIVE_INFINITY : status.logStatistic();
            MonitorBaseline baseline = MonitorBaseline.NONE;
            for (long minute = from; minute <= through; minute++) {
                long hour = Math.floorDiv(minute, 60);
                baseline = byHour.computeIfAbsent(hour, x -> MonitorBaseline.of(x, h, baselines.seasonalWeeks(),
                        baselines.trailingHours(), baselines.minimumExposure()));
                long[] c = counts.getOrDefault(minute, new long[2]);
                MonitorDetection.Step step = detection.fold(snapshot, minute, c[0],
                        def.metric().badEvents(c[0], c[1]), baseline);
                snapshot = step.snapshot();
                logStatistic = step.logStatistic();
                if (step.change() != MonitorDetection.Change.NONE) {
                    long[] last = lastHour(counts, minute, def.metric());
                    MonitorStatus at = new MonitorStatus(def.id(), snapshot, minute, last[0], last[1], baseline,
                            logStatistic);
                    verdicts.add(MonitorVerdicts.of(def, at, step.change(), family, alpha, catalog.size()));
                }
            }
            long[] last = lastHour(counts, through, def.metric());
            changed.add(new MonitorStatus(def.id(), snapshot, through, last[0], last[1], baseline, logStatistic));
        }
        return new Result(changed, verdicts);
    }

    /** Exposure and bad events over the 60 minutes ending at {@code minute}. */
    static long[] lastHour(NavigableMap<Long, long[]> counts, long minute, MonitorMetric metric) {
        long n = 0;
        long bad = 0;
        for (long[] c : counts.subMap(minute - 59, true, minute, true).values()) {
            n += c[0];
            bad += metric.badEvents(c[0], c[1]);
        }
        return new long[] {n, bad};
    }

    /** An empty minute series, for a monitor without counts. */
    public static NavigableMap<Long, long[]> noCounts() {
        return new TreeMap<>();
    }
}
