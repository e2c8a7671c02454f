package io.vigil.guardrail.evaluation;

import org.HdrHistogram.Histogram;

import io.vigil.guardrail.statistics.DifferenceConfidenceSequence;

/**
 * What the aggregation has gathered for one guardrail so far, in the form its statistic needs. Aggregation (streaming,
 * per event-time bucket) and evaluation (this package) meet only here, so a replay of the topics feeds the same
 * evaluator with the same data and gets the same verdicts.
 */
public sealed interface GuardrailData {

    /** Exposure on each arm: decisions (or step-ups, or approvals: the metric's denominator). */
    long treatmentExposure();

    long controlExposure();

    /** A rate over all decisions, folded bucket by bucket with the share in force. */
    record Rates(DifferenceConfidenceSequence.State state) implements GuardrailData {
        public long treatmentExposure() {
            return state.treatment().count();
        }

        public long controlExposure() {
            return state.control().count();
        }
    }

    /** Events and exposure counted on each arm (rare events, rates conditional on the decision). */
    record ArmRates(long treatmentExposure, long treatmentEvents, long controlExposure, long controlEvents)
            implements GuardrailData {
        public ArmRates {
            if (treatmentEvents < 0 || controlEvents < 0 || treatmentEvents > treatmentExposure
                    || controlEvents > controlExposure) {
                throw new IllegalArgumentException("events must lie between 0 and the exposure on each arm");
            }
        }
    }

    /**
     * A rate whose events are labels that arrive long after the decision (fraud among approvals): judged on the mature
     * vintages only ({@code matured}: approvals and frauds of the buckets whose expected label share reached the
     * mature share; {@code maturedLabelShare} the exposure-weighted expected share among them), while {@code all}
     * with the labels expected so far on each arm gives the censoring-aware estimate over every vintage;
     * {@code matureShare} is the expected label share at which a vintage counts as mature.
     */
    record DelayedLabels(ArmRates matured, double maturedLabelShare, ArmRates all, double treatmentLabelsExpected,
            double controlLabelsExpected, double matureShare) implements GuardrailData {
        public long treatmentExposure() {
            return matured.treatmentExposure();
        }

        public long controlExposure() {
            return matured.controlExposure();
        }

        /** The share of all approvals' fraud labels expected by now (0 with no approvals). */
        public double labelMaturity() {
            long approvals = all.treatmentExposure() + all.controlExposure();
            return approvals == 0 ? 0 : (treatmentLabelsExpected + controlLabelsExpected) / approvals;
        }
    }

    /**
     * A LOAD metric's counts: events and exposure (every decision in the cohort) on each arm over the
     * {@code observedMillis} of event time they were counted in, and the treatment share in force now and at the
     * next step (1 when the next step completes the rollout): what the load is projected at.
     */
    record Load(ArmRates counts, long observedMillis, double currentShare, double nextShare) implements GuardrailData {
        public Load {
            if (observedMillis < 0 || !(currentShare >= 0 && currentShare <= 1)
                    || !(nextShare >= currentShare && nextShare <= 1)) {
                throw new IllegalArgumentException("need observedMillis >= 0 and 0 <= current share <= next share <= 1");
            }
        }

        public long treatmentExposure() {
            return counts.treatmentExposure();
        }

        public long controlExposure() {
            return counts.controlExposure();
        }
    }

    /** Latencies recorded on each arm, in microseconds (judged in milliseconds). */
    record Latencies(Histogram treatment, Histogram control) implements GuardrailData {
        public long treatmentExposure() {
            return treatment.getTotalCount();
        }

        public long controlExposure() {
            return control.getTotalCount();
        }
    }
}
