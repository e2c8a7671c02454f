package io.vigil.training.card;

import io.vigil.riskmodel.quality.Calibration;
import java.util.List;
import java.util.Map;

/**
 * What a trained model is and how good it is, written next to model.json as model-card.json and model-card.md.
 *
 * @param model            model file name
 * @param createdBy        tool and XGBoost version
 * @param featureContract  version of the feature contract the features follow
 * @param features         model features in vector order
 * @param training         data seed, row counts and hyper-parameters
 * @param trees            trees used for scoring (after early stopping)
 * @param bestIteration    early-stopping best iteration, -1 when none
 * @param evaluation       test-set quality, measured with the pure-Java evaluator that production uses
 * @param reliability      calibration reliability table
 * @param thresholds       decision-policy outcomes overall and per key cohort
 */
public record ModelCard(String model, String createdBy, String featureContract, List<String> features,
        Training training, int trees, int bestIteration, Evaluation evaluation, List<Calibration.Bin> reliability,
        List<CohortThresholds> thresholds) {

    /**
     * @param dataSeed        population seed of the training and validation rows
     * @param trainRows       rows boosted on
     * @param validationRows  rows early stopping watched
     * @param testSeed        population seed of the held-out test rows (a fresh population)
     * @param testRows        rows the evaluation used
     * @param parameters      XGBoost parameters
     * @param missingness     what the training rows lacked ({@code Missingness} rates "F,A,D,C"); the test rows
     *                        always have realistic missingness, as production does
     */
    public record Training(long dataSeed, long trainRows, long validationRows, long testSeed, long testRows,
            Map<String, Object> parameters, String missingness) {
    }

    /**
     * @param auc                   ROC AUC on the test rows
     * @param bayesOptimalAuc       AUC of the true fraud probability on the same rows and labels: the ceiling any model
     *                              could reach on this test set
     * @param expectedBayesOptimalAuc the same ceiling averaged over label draws (no label noise), from the true
     *                              probabilities alone
     * @param prAuc                 average precision
     * @param logLoss               mean log loss
     * @param expectedCalibrationError ECE over 10 equal-width bins
     * @param fraudRate             observed fraud rate of the test rows
     * @param meanScore             mean predicted probability
     */
    public record Evaluation(double auc, double bayesOptimalAuc, double expectedBayesOptimalAuc, double prAuc, double logLoss,
            double expectedCalibrationError, double fraudRate, double meanScore) {
    }

    /** Policy outcomes on one cohort of the test rows. */
    public record CohortThresholds(String cohort, long rows, double fraudRate, double auc, List<PolicyOutcome> policies) {
    }

    /**
     * A two-threshold policy: decline at or above {@code declineAt}, step up at or above {@code stepUpAt}, approve below.
     *
     * @param tpr          share of fraud that was stepped up or declined
     * @param fpr          share of genuine checkouts that were stepped up or declined
     * @param stepUpRate   share of all checkouts stepped up
     * @param declineRate  share of all checkouts declined
     */
    public record PolicyOutcome(double stepUpAt, double declineAt, double tpr, double fpr, double stepUpRate,
            double declineRate) {
    }
}
