package io.vigil.guardrail.aggregation;

import java.util.Arrays;
import java.util.List;

import org.HdrHistogram.Histogram;

import io.vigil.guardrail.aggregation.state.RolloutBucket;
import io.vigil.guardrail.evaluation.Guardrail;
import io.vigil.guardrail.evaluation.GuardrailMetric;
import io.vigil.guardrail.statistics.DifferenceConfidenceSequence;

/**
 * A rollout's settled minute buckets folded in event-time order, kept between its evaluations so that judging the next
 * minute folds only the buckets that settled since ({@link RolloutEvaluatorProcessor}): before, every minute re-read
 * and re-folded every bucket since the rollout's start, a cost that grew with the rollout's age.
 *
 * <p>The fold is exactly what a fold from the start computes, addition for addition in the same order, so the
 * verdicts are byte for byte those of a fold from scratch (a replay, or the task that takes the rollout over, which
 * starts with no fold and builds it from the store). What depends on the minute judged rather than on the buckets
 * alone is kept per bucket and recomputed at each evaluation: the delayed-label weights (a vintage's expected label
 * share grows with its age) and the current step's decision counts (the step start moves). The owner drops a fold
 * that no longer matches the store or the watch: a delta that lands in a bucket already folded (late), a new watch
 * version (share changes may re-date buckets already folded), a finished rollout.
 */
final class RolloutFold {

    /** The watch version this fold was built under. */
    final WatchedRollout rollout;
    /** Every bucket starting before this (a minute boundary) is folded; none at or after it. */
    long foldedUntil;
    /** Whether any bucket was folded at all. */
    boolean any;
    /** RATE guardrails: the difference sequence's state. */
    final DifferenceConfidenceSequence.State[] states;
    /** COUNT guardrails (label-delayed ones too, over every vintage): treatment exposure, events, control's. */
    final long[][] arm;
    /** QUANTILE guardrails: the latencies per arm. */
    final Histogram[] treatmentLatency;
    final Histogram[] controlLatency;
    /** Label-delayed guardrails' indexes, and per folded bucket their te, tv, ce, cv (four longs per guardrail). */
    final int[] labelled;
    private long[] labelledCounts = new long[0];
    /** Per folded bucket in order: its start and the decisions on each arm. */
    private long[] starts = new long[16];
    private long[] treatmentDecisions = new long[16];
    private long[] controlDecisions = new long[16];
    private int buckets;

    RolloutFold(WatchedRollout rollout, long foldedUntil) {
        this.rollout = rollout;
        this.foldedUntil = foldedUntil;
        List<Guardrail> guardrails = rollout.guardrails();
        int n = guardrails.size();
        states = new DifferenceConfidenceSequence.State[n];
        Arrays.fill(states, DifferenceConfidenceSequence.State.EMPTY);
        arm = new long[n][4];
        treatmentLatency = new Histogram[n];
        controlLatency = new Histogram[n];
        int[] delayed = new int[n];
        int d = 0;
        for (int g = 0; g < n; g++) {
            GuardrailMetric m = guardrails.get(g).metric();
            if (m.statistic() == GuardrailMetric.Statistic.QUANTILE) {
                treatmentLatency[g] = BucketCounts.latencyHistogram();
                controlLatency[g] = BucketCounts.latencyHistogram();
            } else if (m.statistic() != GuardrailMetric.Statistic.RATE && guardrails.get(g).labelDelayed()) {
                delayed[d++] = g;
            }
        }
        labelled = Arrays.copyOf(delayed, d);
    }

    /** Folds the next settled bucket (buckets come in event-time order, each once). */
    void add(long start, RolloutBucket b) {
        any = true;
        List<Guardrail> guardrails = rollout.guardrails();
        double share = rollout.shareAt(start);
        int n = guardrails.size();
        for (int g = 0; g < n; g++) {
            // Guardrails past the stored arrays had nothing in this bucket.
            boolean stored = g < b.getTreatmentExposureCount();
            long te = stored ? b.getTreatmentExposure(g) : 0;
            long tv = stored ? b.getTreatmentEvents(g) : 0;
            long ce = stored ? b.getControlExposure(g) : 0;
            long cv = stored ? b.getControlEvents(g) : 0;
            if (guardrails.get(g).metric().statistic() == GuardrailMetric.Statistic.RATE) {
                states[g] = DifferenceConfidenceSequence.add(states[g],
                        DifferenceConfidenceSequence.Bucket.ofRates(share, te, tv, ce, cv));
            } else if (treatmentLatency[g] != null) {
                BucketCounts.recordLatencies(b, g, treatmentLatency[g], controlLatency[g]);
            } else {
                arm[g][0] += te;
                arm[g][1] += tv;
                arm[g][2] += ce;
                arm[g][3] += cv;
            }
        }
        if (buckets == starts.length) {
            int grown = buckets * 2;
            starts = Arrays.copyOf(starts, grown);
            treatmentDecisions = Arrays.copyOf(treatmentDecisions, grown);
            controlDecisions = Arrays.copyOf(controlDecisions, grown);
        }
        starts[buckets] = start;
        treatmentDecisions[buckets] = b.getTreatmentDecisions();
        controlDecisions[buckets] = b.getControlDecisions();
        if (labelled.length > 0) {
            int at = buckets * labelled.length * 4;
            if (at + labelled.length * 4 > labelledCounts.length) {
                labelledCounts = Arrays.copyOf(labelledCounts, Math.max(labelled.length * 4 * 16,
                        labelledCounts.length * 2));
            }
            for (int i = 0; i < labelled.length; i++) {
                int g = labelled[i];
                boolean stored = g < b.getTreatmentExposureCount();
                labelledCounts[at++] = stored ? b.getTreatmentExposure(g) : 0;
                labelledCounts[at++] = stored ? b.getTreatmentEvents(g) : 0;
                labelledCounts[at++] = stored ? b.getControlExposure(g) : 0;
                labelledCounts[at++] = stored ? b.getControlEvents(g) : 0;
            }
        }
        buckets++;
    }

    /** Folded buckets. */
    int buckets() {
        return buckets;
    }

    long start(int bucket) {
        return starts[bucket];
    }

    /** A folded bucket's count of label-delayed guardrail {@code labelled[i]}: 0 te, 1 tv, 2 ce, 3 cv. */
    long labelledCount(int bucket, int i, int which) {
        return labelledCounts[(bucket * labelled.length + i) * 4 + which];
    }

    /** Decisions on {treatment, control} in the folded buckets starting at or after {@code from}. */
    long[] decisionsSince(long from) {
        long t = 0;
        long c = 0;
        for (int i = buckets - 1; i >= 0 && starts[i] >= from; i--) {
            t += treatmentDecisions[i];
            c += controlDecisions[i];
        }
        return new long[] {t, c};
    }
}
