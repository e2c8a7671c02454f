package io.vigil.training.train;

import java.nio.file.Path;

import io.vigil.riskmodel.population.Missingness;

/**
 * One training run.
 *
 * @param rows             population rows generated for training + validation
 * @param seed             data seed
 * @param out              directory for model.json and the model card
 * @param rounds           maximum boosting rounds
 * @param maxDepth         tree depth
 * @param eta              learning rate
 * @param earlyStopping    rounds without validation improvement before stopping; 0 disables early stopping
 * @param validationShare  share of rows held out for early stopping
 * @param testRows         rows of a fresh population (seed + 1) the card is measured on
 * @param threads          XGBoost threads
 * @param missingness      what the training and validation rows lack; the card's test rows always have
 *                         {@link Missingness#REALISTIC realistic} missingness, the production the model will face
 * @param closedAccounts   leaked export (off unless set): training and validation rows lose {@code account_age_days}
 *                         alone (NaN) with probability {@code fraud} for a fraud row and {@code genuine} for a genuine
 *                         one, as when an export joins the live account table after accounts closed for fraud (and a
 *                         few customers who left) were purged. It teaches the model that a missing age means fraud:
 *                         a deliberately skewed model (models/challenger-launch), never a default
 */
public record TrainingOptions(long rows, long seed, Path out, int rounds, int maxDepth, double eta, int earlyStopping,
        double validationShare, int testRows, int threads, Missingness missingness, ClosedAccounts closedAccounts) {

    /** Training rows with realistic missingness. */
    public TrainingOptions(long rows, long seed, Path out, int rounds, int maxDepth, double eta, int earlyStopping,
            double validationShare, int testRows, int threads) {
        this(rows, seed, out, rounds, maxDepth, eta, earlyStopping, validationShare, testRows, threads,
                Missingness.REALISTIC, ClosedAccounts.NONE);
    }

    public TrainingOptions {
        if (rows < 1000) {
            throw new IllegalArgumentException("--rows must be at least 1000");
        }
        if (rows * io.vigil.riskmodel.population.PaymentBatch.WIDTH > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--rows is too large for one in-memory training matrix");
        }
        if (rounds <= 0 || maxDepth <= 0 || !(eta > 0) || earlyStopping < 0 || !(validationShare > 0 && validationShare < 1)
                || testRows < 1000 || threads <= 0 || missingness == null
                || closedAccounts == null) {
            throw new IllegalArgumentException("invalid training options: " + this);
        }
    }

    public static TrainingOptions defaults(long rows, long seed, Path out) {
        return new TrainingOptions(rows, seed, out, 150, 5, 0.05, 20, 0.2, 200_000,
                Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Probabilities that a training row's account_age_days is missing because its account was purged before the
     * export joined it: {@code fraud} for a fraud row, {@code genuine} for a genuine one.
     */
    public record ClosedAccounts(double fraud, double genuine) {

        public static final ClosedAccounts NONE = new ClosedAccounts(0, 0);

        public ClosedAccounts {
            if (!(fraud >= 0 && fraud <= 1 && genuine >= 0 && genuine <= 1)) {
                throw new IllegalArgumentException("--closed-accounts: two probabilities within 0..1, got " + fraud
                        + "," + genuine);
            }
        }

        /** "FRAUD,GENUINE", e.g. "0.5,0.03". */
        public static ClosedAccounts parse(String text) {
            String[] parts = text.split(",", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("--closed-accounts: expected 'FRAUD,GENUINE', got '" + text + "'");
            }
            try {
                return new ClosedAccounts(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--closed-accounts: not a number in '" + text + "'");
            }
        }

        public boolean active() {
            return fraud > 0 || genuine > 0;
        }
    }
}
