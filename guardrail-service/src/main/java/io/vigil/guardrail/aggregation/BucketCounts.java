package io.vigil.guardrail.aggregation;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

import io.vigil.guardrail.aggregation.state.LatencyCounts;
import io.vigil.guardrail.aggregation.state.RolloutBucket;

/**
 * A rollout's counts in one minute bucket, per guardrail index and arm, mutable: the upstream tasks sum their records
 * into one (so a bucket travels to the evaluator as a few deltas, not one per decision) and the evaluator merges the
 * deltas it gets. Its stored form is {@link RolloutBucket}; merging is addition, so the order deltas arrive in does not
 * change a bucket (a replay folds the same buckets).
 *
 * <p>Latencies are kept as a sparse histogram per latency guardrail and arm: each value is rounded down to the lowest
 * value of its HdrHistogram bucket at {@link #LATENCY_DIGITS} significant digits (the top 8 bits of the value), so a
 * bucket holds at most one entry per distinct rounded latency, and the evaluator's HdrHistogram of the same precision
 * puts every entry back into the very bucket it came from.
 */
final class BucketCounts {

    /** Precision of latency histograms: 2 significant digits, i.e. values within 1% share a bucket. */
    static final int LATENCY_DIGITS = 2;
    /** Latencies above a minute are recorded as a minute (Score has a budget of milliseconds). */
    static final long MAX_LATENCY_MICROS = 60_000_000L;

    private long[] treatmentExposure = new long[0];
    private long[] treatmentEvents = new long[0];
    private long[] controlExposure = new long[0];
    private long[] controlEvents = new long[0];
    private long treatmentDecisions;
    private long controlDecisions;
    /** Guardrail index -> [treatment, control] rounded latency -> count, ascending. */
    private final TreeMap<Integer, Sparse[]> latencies = new TreeMap<>();

    static BucketCounts of(RolloutBucket b) {
        BucketCounts c = new BucketCounts();
        c.add(b);
        return c;
    }

    /** The lowest value of the HdrHistogram bucket (2 significant digits) {@code micros} falls in. */
    static long roundLatency(long micros) {
        long v = Math.min(Math.max(micros, 0), MAX_LATENCY_MICROS);
        // HdrHistogram at 2 significant digits has 256 sub-buckets: values below 256 are exact, above it each bucket
        // keeps the value's top 8 bits.
        int shift = Math.max(0, 63 - Long.numberOfLeadingZeros(v) - 7);
        return (v >> shift) << shift;
    }

    /** An empty histogram of the precision the buckets' latencies were rounded to. */
    static Histogram latencyHistogram() {
        return new Histogram(MAX_LATENCY_MICROS, LATENCY_DIGITS);
    }

    void decision(boolean treatment) {
        if (treatment) {
            treatmentDecisions++;
        } else {
            controlDecisions++;
        }
    }

    void exposure(int guardrail, boolean treatment, long n) {
        grow(guardrail + 1);
        (treatment ? treatmentExposure : controlExposure)[guardrail] += n;
    }

    void event(int guardrail, boolean treatment, long n) {
        grow(guardrail + 1);
        (treatment ? treatmentEvents : controlEvents)[guardrail] += n;
    }

    void latency(int guardrail, boolean treatment, long micros, long n) {
        Sparse[] arms = latencies.computeIfAbsent(guardrail, g -> new Sparse[] {new Sparse(), new Sparse()});
        arms[treatment ? 0 : 1].add(roundLatency(micros), n);
    }

    long decisions() {
        return treatmentDecisions + controlDecisions;
    }

    /** Adds a stored or sent bucket's counts to these. */
    void add(RolloutBucket b) {
        grow(b.getTreatmentExposureCount());
        for (int g = 0; g < b.getTreatmentExposureCount(); g++) {
            treatmentExposure[g] += b.getTreatmentExposure(g);
            treatmentEvents[g] += g < b.getTreatmentEventsCount() ? b.getTreatmentEvents(g) : 0;
            controlExposure[g] += g < b.getControlExposureCount() ? b.getControlExposure(g) : 0;
            controlEvents[g] += g < b.getControlEventsCount() ? b.getControlEvents(g) : 0;
        }
        treatmentDecisions += b.getTreatmentDecisions();
        controlDecisions += b.getControlDecisions();
        for (LatencyCounts l : b.getLatenciesList()) {
            for (int i = 0; i < l.getTreatmentValuesCount(); i++) {
                latency(l.getGuardrail(), true, l.getTreatmentValues(i), l.getTreatmentCounts(i));
            }
            for (int i = 0; i < l.getControlValuesCount(); i++) {
                latency(l.getGuardrail(), false, l.getControlValues(i), l.getControlCounts(i));
            }
        }
    }

    RolloutBucket toProto() {
        RolloutBucket.Builder b = RolloutBucket.newBuilder().setTreatmentDecisions(treatmentDecisions)
                .setControlDecisions(controlDecisions);
        for (int g = 0; g < treatmentExposure.length; g++) {
            b.addTreatmentExposure(treatmentExposure[g]).addTreatmentEvents(treatmentEvents[g])
                    .addControlExposure(controlExposure[g]).addControlEvents(controlEvents[g]);
        }
        for (Map.Entry<Integer, Sparse[]> e : latencies.entrySet()) {
            LatencyCounts.Builder l = LatencyCounts.newBuilder().setGuardrail(e.getKey());
            e.getValue()[0].counts.forEach((v, n) -> l.addTreatmentValues(v).addTreatmentCounts(n));
            e.getValue()[1].counts.forEach((v, n) -> l.addControlValues(v).addControlCounts(n));
            b.addLatencies(l);
        }
        return b.build();
    }

    /** Records a stored bucket's latencies of {@code guardrail} into the two histograms (either may be null). */
    static void recordLatencies(RolloutBucket b, int guardrail, Histogram treatment, Histogram control) {
        for (LatencyCounts l : b.getLatenciesList()) {
            if (l.getGuardrail() != guardrail) {
                continue;
            }
            for (int i = 0; i < l.getTreatmentValuesCount(); i++) {
                treatment.recordValueWithCount(l.getTreatmentValues(i), l.getTreatmentCounts(i));
            }
            for (int i = 0; i < l.getControlValuesCount(); i++) {
                control.recordValueWithCount(l.getControlValues(i), l.getControlCounts(i));
            }
        }
    }

    private void grow(int size) {
        if (size > treatmentExposure.length) {
            treatmentExposure = Arrays.copyOf(treatmentExposure, size);
            treatmentEvents = Arrays.copyOf(treatmentEvents, size);
            controlExposure = Arrays.copyOf(controlExposure, size);
            controlEvents = Arrays.copyOf(controlEvents, size);
        }
    }

    /** Rounded latency -> count, ascending (so the stored form is the same whatever order values came in). */
    private static final class Sparse {
        final TreeMap<Long, Long> counts = new TreeMap<>();

        void add(long value, long n) {
            counts.merge(value, n, Long::sum);
        }
    }
}
