package io.vigil.riskmodel.quality;

import java.util.Arrays;

/**
 * Ranking and probability quality of a fraud score against realised labels. Pure functions over arrays; scores are
 * probabilities of the positive (fraud) class.
 */
public final class BinaryMetrics {

    private BinaryMetrics() {
    }

    /**
     * ROC AUC by the Mann-Whitney statistic: the probability that a random fraud outscores a random genuine row, ties
     * counted as one half. O(n log n).
     */
    public static double auc(double[] scores, boolean[] labels) {
        double[] positive = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            positive[i] = labels[i] ? 1.0 : 0.0;
        }
        return softAuc(scores, positive);
    }

    /**
     * AUC where row i is a positive with weight {@code positive[i]} and a negative with weight {@code 1 - positive[i]}.
     * With 0/1 weights this is the ordinary AUC; with true probabilities as weights it is the AUC expected over label
     * draws, which {@link #bayesOptimalAuc} uses.
     */
    public static double softAuc(double[] scores, double[] positive) {
        int n = scores.length;
        Integer[] order = sortedAscending(scores);
        double negBelow = 0.0;
        double pairs = 0.0;
        double totalPos = 0.0;
        double totalNeg = 0.0;
        int i = 0;
        while (i < n) {
            int j = i;
            double tiePos = 0.0;
            double tieNeg = 0.0;
            while (j < n && scores[order[j]] == scores[order[i]]) {
                tiePos += positive[order[j]];
                tieNeg += 1.0 - positive[order[j]];
                j++;
            }
            pairs += tiePos * negBelow + 0.5 * tiePos * tieNeg;
            negBelow += tieNeg;
            totalPos += tiePos;
            totalNeg += tieNeg;
            i = j;
        }
        if (totalPos == 0.0 || totalNeg == 0.0) {
            throw new IllegalArgumentException("AUC needs both positives and negatives");
        }
        // Soft labels pair a row with itself in the tie term; remove those self-pairs so 0/1 labels are unaffected.
        double self = 0.0;
        double selfNeg = 0.0;
        for (int r = 0; r < n; r++) {
            double p = positive[r];
            self += 0.5 * p * (1.0 - p);
            selfNeg += p * (1.0 - p);
        }
        return (pairs - self) / (totalPos * totalNeg - selfNeg);
    }

    /**
     * The expected AUC of the Bayes-optimal score on a data set whose rows have true fraud probabilities {@code p}: no
     * model can rank better on average, so a trained model is judged by its distance to this.
     */
    public static double bayesOptimalAuc(double[] p) {
        return softAuc(p, p);
    }

    /**
     * Area under the precision-recall curve as average precision: the mean, over frauds, of the precision at the score
     * of that fraud (rows with equal scores are taken together).
     */
    public static double averagePrecision(double[] scores, boolean[] labels) {
        int n = scores.length;
        Integer[] order = sortedAscending(scores);
        int totalPos = 0;
        for (boolean l : labels) {
            totalPos += l ? 1 : 0;
        }
        if (totalPos == 0) {
            throw new IllegalArgumentException("average precision needs at least one positive");
        }
        double ap = 0.0;
        int tp = 0;
        int seen = 0;
        int i = n - 1;
        while (i >= 0) {
            int j = i;
            int tiePos = 0;
            while (j >= 0 && scores[order[j]] == scores[order[i]]) {
                tiePos += labels[order[j]] ? 1 : 0;
                j--;
            }
            seen += i - j;
            tp += tiePos;
            ap += (tiePos / (double) totalPos) * (tp / (double) seen);
            i = j;
        }
        return ap;
    }

    /** Mean negative log-likelihood (natural log); probabilities are clipped to [1e-15, 1 - 1e-15]. */
    public static double logLoss(double[] scores, boolean[] labels) {
        double sum = 0.0;
        for (int i = 0; i < scores.length; i++) {
            double p = Math.min(Math.max(scores[i], 1e-15), 1.0 - 1e-15);
            sum += labels[i] ? -Math.log(p) : -Math.log1p(-p);
        }
        return sum / scores.length;
    }

    private static Integer[] sortedAscending(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        return order;
    }
}
