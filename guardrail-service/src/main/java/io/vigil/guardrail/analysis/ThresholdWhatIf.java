package io.vigil.guardrail.analysis;

/**
 * What a different cohort threshold would have done: from the true- and false-positive rates at the current and the
 * proposed threshold (measured on logged scores and matured labels by {@link #ratesAt}), the prevalence and the
 * volume, the reviews added, the frauds newly caught and the approvals lost. Everything flagged is routed (to review
 * or step-up), frauds included, so the flagged total rises by the added false positives AND the newly caught frauds;
 * the review desk's capacity is checked against that total.
 */
public final class ThresholdWhatIf {

    /** True- and false-positive rates of "score >= threshold" on labelled payments. */
    public record OperatingPoint(double threshold, double truePositiveRate, double falsePositiveRate) {

        public OperatingPoint {
            check("true_positive_rate", truePositiveRate);
            check("false_positive_rate", falsePositiveRate);
        }
    }

    public record Result(OperatingPoint current, OperatingPoint proposed, long payments, double prevalence,
            double flaggedBefore, double flaggedAfter, double falsePositivesAdded, double fraudsNewlyCaught,
            double approvalsLost, double reviewCapacity, boolean withinCapacity) {

        public double flaggedAdded() {
            return flaggedAfter - flaggedBefore;
        }
    }

    private ThresholdWhatIf() {
    }

    public static Result compare(OperatingPoint current, OperatingPoint proposed, long payments, double prevalence,
            double reviewCapacity) {
        if (payments < 0) {
            throw new InvalidAnalysisException("payments", "must be >= 0, got " + payments);
        }
        check("prevalence", prevalence);
        if (!(reviewCapacity >= 0)) {
            throw new InvalidAnalysisException("review_capacity", "must be >= 0, got " + reviewCapacity);
        }
        double frauds = prevalence * payments;
        double legitimate = (1 - prevalence) * payments;
        double before = current.truePositiveRate() * frauds + current.falsePositiveRate() * legitimate;
        double after = proposed.truePositiveRate() * frauds + proposed.falsePositiveRate() * legitimate;
        double fpAdded = (proposed.falsePositiveRate() - current.falsePositiveRate()) * legitimate;
        double caught = (proposed.truePositiveRate() - current.truePositiveRate()) * frauds;
        return new Result(current, proposed, payments, prevalence, before, after, fpAdded, caught,
                Math.max(0, fpAdded), reviewCapacity, after <= reviewCapacity);
    }

    /**
     * The operating point of {@code threshold} on logged scores with matured labels (fraud = true). Throws when there
     * are no frauds or no legitimate payments: a rate over nothing is unknown, not 0.
     */
    public static OperatingPoint ratesAt(double[] scores, boolean[] fraud, double threshold) {
        if (scores.length != fraud.length) {
            throw new InvalidAnalysisException("labels", scores.length + " scores but " + fraud.length + " labels");
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new InvalidAnalysisException("threshold", "must lie in (0, 1), got " + threshold);
        }
        long positives = 0;
        long negatives = 0;
        long tp = 0;
        long fp = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean flagged = scores[i] >= threshold;
            if (fraud[i]) {
                positives++;
                tp += flagged ? 1 : 0;
            } else {
                negatives++;
                fp += flagged ? 1 : 0;
            }
        }
        if (positives == 0 || negatives == 0) {
            throw new InvalidAnalysisException("labels", "need matured frauds and legitimate payments, got "
                    + positives + " and " + negatives);
        }
        return new OperatingPoint(threshold, (double) tp / positives, (double) fp / negatives);
    }

    private static void check(String field, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new InvalidAnalysisException(field, "must lie in [0, 1], got " + rate);
        }
    }
}
