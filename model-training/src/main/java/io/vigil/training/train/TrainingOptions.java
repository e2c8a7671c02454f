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
 */
public record TrainingOptions(long rows, long seed, Path out, int rounds, int maxDepth, double eta, int earlyStopping,
        double validationShare, int testRows, int threads, Missingness missingness) {

    /** Training rows with realistic missingness. */
    public TrainingOptions(long rows, long seed, Path out, int rounds, int maxDepth, double eta, int earlyStopping,
            double validationShare, int testRows, int threads) {
        this(rows, seed, out, rounds, maxDepth, eta, earlyStopping, validationShare, testRows, threads,
                Missingness.REALISTIC);
    }

    public TrainingOptions {
        if (rows < 1000) {
            throw new IllegalArgumentException("--rows must be at least 1000");
        }
        if (rows * io.vigil.riskmodel.population.PaymentBatch.WIDTH > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--rows is too large for one in-memory training matrix");
        }
        if (rounds <= 0 || maxDepth <= 0 || !(eta > 0) || earlyStopping < 0 || !(validationShare > 0 && validationShare < 1)
                || testRows < 1000 || threads <= 0 || missingness == null) {
            throw new IllegalArgumentException("invalid training options: " + this);
        }
    }

    public static TrainingOptions defaults(long rows, long seed, Path out) {
        return new TrainingOptions(rows, seed, out, 150, 5, 0.05, 20, 0.2, 200_000,
                Math.max(1, Runtime.getRuntime().availableProcessors()));
    }
}
