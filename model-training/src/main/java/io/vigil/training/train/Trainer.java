package io.vigil.training.train;

import io.vigil.riskmodel.catalog.FeatureCatalog;
import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.riskmodel.model.TreeEnsemble;
import io.vigil.riskmodel.model.XGBoostJsonLoader;
import io.vigil.riskmodel.population.PaymentBatch;
import io.vigil.riskmodel.population.Missingness;
import io.vigil.riskmodel.population.PopulationConfig;
import io.vigil.riskmodel.population.PopulationGenerator;
import io.vigil.riskmodel.quality.Calibration;
import io.vigil.training.card.CardEvaluator;
import io.vigil.training.card.CohortSlice;
import io.vigil.training.card.ModelCard;
import io.vigil.training.card.ModelCardWriter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Trains the fraud model on a seeded synthetic population with XGBoost4J, then measures it on a fresh population with
 * the same pure-Java evaluator production uses, and writes model.json plus its model card.
 */
public final class Trainer {

    public static final String XGBOOST_VERSION = "3.0.4";

    private final PrintStream log;

    public Trainer(PrintStream log) {
        this.log = log;
    }

    public ModelCard train(TrainingOptions o) throws Exception {
        int rows = (int) o.rows();
        int validation = (int) Math.max(1, Math.round(rows * o.validationShare()));
        int trainRows = rows - validation;
        log.printf("generating %,d rows (seed %d, missingness %s)%n", rows, o.seed(), describe(o.missingness()));
        PaymentBatch data = new PopulationGenerator(PopulationConfig.baseline(o.seed()).withMissingness(o.missingness()))
                .generate(0, rows);
        if (o.closedAccounts().active()) {
            log.printf("closed accounts (account_age_days missing): %,d rows%n",
                    purgeClosedAccounts(data, o.closedAccounts(), o.seed()));
        }

        Map<String, Object> params = parameters(o);
        DMatrix train = XGBoostData.labelled(data, 0, trainRows);
        DMatrix valid = XGBoostData.labelled(data, trainRows, validation);
        Map<String, DMatrix> watches = new LinkedHashMap<>();
        watches.put("train", train);
        // Early stopping watches the last entry.
        watches.put("validation", valid);
        log.printf("training: up to %d rounds, depth %d, eta %s, early stopping %d%n", o.rounds(), o.maxDepth(), o.eta(),
                o.earlyStopping());
        Booster booster = XGBoost.train(train, params, o.rounds(), watches, new float[2][o.rounds()], null, null,
                o.earlyStopping());

        Files.createDirectories(o.out());
        Path model = o.out().resolve("model.json");
        Path temp = Files.createTempFile(o.out(), ".model.", ".json");
        try {
            booster.saveModel(temp.toString());
            Files.move(temp, model, StandardCopyOption.REPLACE_EXISTING);
            io.vigil.training.cli.AtomicOutput.readableByAll(model);
        } finally {
            Files.deleteIfExists(temp);
            train.dispose();
            valid.dispose();
            booster.dispose();
        }

        TreeEnsemble ensemble = new XGBoostJsonLoader().load(model);
        long testSeed = o.seed() + 1;
        log.printf("evaluating %d trees on %,d fresh rows (seed %d)%n", ensemble.treeCount(), o.testRows(), testSeed);
        ModelCard card = card(ensemble, o, trainRows, validation, testSeed, params);
        new ModelCardWriter().write(card, o.out());
        return card;
    }

    static Map<String, Object> parameters(TrainingOptions o) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("objective", "binary:logistic");
        params.put("booster", "gbtree");
        params.put("tree_method", "hist");
        params.put("eval_metric", "logloss");
        params.put("eta", o.eta());
        params.put("max_depth", o.maxDepth());
        params.put("min_child_weight", 1);
        params.put("subsample", 0.8);
        params.put("colsample_bytree", 0.8);
        params.put("seed", o.seed());
        params.put("nthread", o.threads());
        params.put("verbosity", 0);
        return params;
    }

    /** Scores a fresh population with the Java evaluator and fills in the card. */
    public static ModelCard card(TreeEnsemble model, TrainingOptions o, long trainRows, long validationRows,
            long testSeed, Map<String, Object> params) {
        PaymentBatch test = new PopulationGenerator(PopulationConfig.baseline(testSeed)).generate(0, o.testRows());
        int n = test.size();
        double[] scores = new double[n];
        boolean[] labels = new boolean[n];
        double[] truth = new double[n];
        int[] columns = model.columnsFor(PaymentFeature.names());
        float[] x = new float[model.featureCount()];
        float[] row = new float[PaymentBatch.WIDTH];
        for (int i = 0; i < n; i++) {
            test.copyFeatures(i, row);
            for (int f = 0; f < x.length; f++) {
                x[f] = row[columns[f]];
            }
            scores[i] = model.score(x);
            labels[i] = test.fraud(i);
            truth[i] = test.fraudProbability(i);
        }
        Calibration.Report calibration = Calibration.of(scores, labels, 10);
        ModelCard.Evaluation evaluation = CardEvaluator.evaluate(scores, labels, truth, calibration);
        List<ModelCard.CohortThresholds> thresholds = new ArrayList<>();
        for (CohortSlice slice : CohortSlice.keyCohorts()) {
            boolean[] in = new boolean[n];
            for (int i = 0; i < n; i++) {
                in[i] = slice.filter().test(test.features(), i * PaymentBatch.WIDTH);
            }
            thresholds.add(CardEvaluator.cohort(slice.name(), scores, labels, in));
        }
        return new ModelCard("model.json", "vigil model train (XGBoost4J " + XGBOOST_VERSION + ")",
                FeatureCatalog.CONTRACT_VERSION, model.featureNames(),
                new ModelCard.Training(o.seed(), trainRows, validationRows, testSeed, n, params,
                        describe(o.missingness()) + (o.closedAccounts().active()
                                ? "; account_age_days missing for closed accounts (fraud rows "
                                        + o.closedAccounts().fraud() + ", genuine rows " + o.closedAccounts().genuine()
                                        + ")" : "")), model.treeCount(),
                model.info().bestIteration(), evaluation, calibration.bins(), thresholds);
    }

    /** "realistic", "none" or the four rates, as {@code --missingness} takes them. */
    static String describe(Missingness m) {
        if (m.equals(Missingness.REALISTIC)) {
            return "realistic";
        }
        if (m.equals(Missingness.NONE)) {
            return "none";
        }
        return m.firstTimeAccounts() + "," + m.unseenAccounts() + "," + m.unseenDevices() + "," + m.unseenCards();
    }

    /**
     * Blanks account_age_days (NaN) of a row whose account an export would no longer find: with probability
     * {@code closed.fraud()} for a fraud row, {@code closed.genuine()} for a genuine one; everything else is kept and
     * the labels already follow the real age. Its own random stream (seeded from the data seed), so the same options
     * give the same rows. Returns the rows changed.
     */
    static int purgeClosedAccounts(PaymentBatch data, TrainingOptions.ClosedAccounts closed, long seed) {
        float[] f = data.features();
        int age = PaymentFeature.ACCOUNT_AGE_DAYS.ordinal();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed ^ 0xC105EDL);
        int changed = 0;
        for (int i = 0, n = data.size(); i < n; i++) {
            double u = rnd.nextDouble();
            if (u < (data.fraud(i) ? closed.fraud() : closed.genuine())) {
                f[i * PaymentBatch.WIDTH + age] = Float.NaN;
                changed++;
            }
        }
        return changed;
    }
}
