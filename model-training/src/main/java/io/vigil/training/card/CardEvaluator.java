package io.vigil.training.card;

import io.vigil.riskmodel.quality.BinaryMetrics;
import io.vigil.riskmodel.quality.Calibration;
import java.util.ArrayList;
import java.util.List;

/** Computes the model card's numbers from test-set scores, labels and true probabilities. */
public final class CardEvaluator {

    /** Step-up / decline threshold pairs the card tabulates. */
    public static final double[][] POLICIES = {{0.02, 0.20}, {0.05, 0.30}, {0.10, 0.50}, {0.20, 0.70}};

    private CardEvaluator() {
    }

    public static ModelCard.Evaluation evaluate(double[] scores, boolean[] labels, double[] trueProbability,
            Calibration.Report calibration) {
        double fraud = 0;
        double mean = 0;
        for (int i = 0; i < scores.length; i++) {
            fraud += labels[i] ? 1 : 0;
            mean += scores[i];
        }
        return new ModelCard.Evaluation(BinaryMetrics.auc(scores, labels), BinaryMetrics.auc(trueProbability, labels),
                BinaryMetrics.bayesOptimalAuc(trueProbability),
                BinaryMetrics.averagePrecision(scores, labels), BinaryMetrics.logLoss(scores, labels),
                calibration.expectedCalibrationError(), fraud / scores.length, mean / scores.length);
    }

    /** Policy outcomes for one cohort; {@code in[i]} says whether row i belongs to it. */
    public static ModelCard.CohortThresholds cohort(String name, double[] scores, boolean[] labels, boolean[] in) {
        int n = 0;
        int positives = 0;
        for (int i = 0; i < scores.length; i++) {
            if (in[i]) {
                n++;
                positives += labels[i] ? 1 : 0;
            }
        }
        double[] s = new double[n];
        boolean[] l = new boolean[n];
        for (int i = 0, j = 0; i < scores.length; i++) {
            if (in[i]) {
                s[j] = scores[i];
                l[j++] = labels[i];
            }
        }
        double auc = positives > 0 && positives < n ? BinaryMetrics.auc(s, l) : Double.NaN;
        List<ModelCard.PolicyOutcome> outcomes = new ArrayList<>();
        for (double[] policy : POLICIES) {
            outcomes.add(policy(s, l, policy[0], policy[1]));
        }
        return new ModelCard.CohortThresholds(name, n, n == 0 ? Double.NaN : positives / (double) n, auc, outcomes);
    }

    public static ModelCard.PolicyOutcome policy(double[] scores, boolean[] labels, double stepUpAt, double declineAt) {
        long pos = 0;
        long neg = 0;
        long tp = 0;
        long fp = 0;
        long stepUp = 0;
        long decline = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean acted = scores[i] >= stepUpAt;
            if (scores[i] >= declineAt) {
                decline++;
            } else if (acted) {
                stepUp++;
            }
            if (labels[i]) {
                pos++;
                tp += acted ? 1 : 0;
            } else {
                neg++;
                fp += acted ? 1 : 0;
            }
        }
        double n = scores.length;
        return new ModelCard.PolicyOutcome(stepUpAt, declineAt, pos == 0 ? Double.NaN : tp / (double) pos,
                neg == 0 ? Double.NaN : fp / (double) neg, n == 0 ? Double.NaN : stepUp / n,
                n == 0 ? Double.NaN : decline / n);
    }
}
