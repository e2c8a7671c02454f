package io.vigil.training.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.riskmodel.explain.TreeShap;
import io.vigil.riskmodel.model.TreeEnsemble;
import io.vigil.riskmodel.model.XGBoostJsonLoader;
import io.vigil.riskmodel.population.PaymentBatch;
import io.vigil.training.train.XGBoostData;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pure-Java evaluator and TreeSHAP against XGBoost4J itself, on 100k rows with missing values, for models of
 * several depths and sizes, one early-stopped and one boosting several trees per round.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class XGBoostParityTest {

    private static final int EVAL_ROWS = 100_000;
    private static final int SHAP_ROWS = 5_000;

    @TempDir
    Path dir;

    private PaymentBatch training;
    private float[] evalFeatures;
    private DMatrix evalMatrix;
    private DMatrix shapMatrix;

    @BeforeAll
    void data() throws Exception {
        training = XGBoostModels.population(11, 30_000);
        PaymentBatch eval = XGBoostModels.population(12, EVAL_ROWS);
        evalFeatures = XGBoostModels.withExtraMissing(eval, 0.10, 99);
        evalMatrix = XGBoostData.matrix(evalFeatures, EVAL_ROWS, null);
        shapMatrix = XGBoostData.matrix(java.util.Arrays.copyOf(evalFeatures, SHAP_ROWS * PaymentBatch.WIDTH),
                SHAP_ROWS, null);
    }

    @AfterAll
    void dispose() {
        evalMatrix.dispose();
        shapMatrix.dispose();
    }

    record Case(String name, int depth, double eta, int rounds, int earlyStopping, Map<String, Object> extra) {
        @Override
        public String toString() {
            return name;
        }
    }

    Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(new Case("stumps-ish depth 2, 30 trees", 2, 0.3, 30, 0, Map.of())),
                Arguments.of(new Case("depth 5, 150 trees", 5, 0.1, 150, 0, Map.of())),
                Arguments.of(new Case("deep depth 8, 40 trees, no min child weight", 8, 0.3, 40, 0,
                        Map.of("min_child_weight", 0, "subsample", 0.8))),
                Arguments.of(new Case("early stopped depth 4", 4, 0.5, 300, 5, Map.of())),
                Arguments.of(new Case("3 parallel trees per round, set base_score, early stopped", 3, 0.3, 60, 5,
                        Map.of("num_parallel_tree", 3, "subsample", 0.7, "colsample_bynode", 0.7, "base_score", 0.3))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void scoresAndExplanationsMatchXGBoost(Case c) throws Exception {
        Map<String, Object> params = XGBoostModels.params(c.depth(), c.eta());
        params.putAll(c.extra());
        Booster booster = XGBoostModels.train(training, params, c.rounds(), c.earlyStopping());
        try {
            Path file = XGBoostModels.save(booster, dir, "model");
            TreeEnsemble model = new XGBoostJsonLoader().load(file);
            int best = model.info().bestIteration();
            if (c.earlyStopping() > 0) {
                assertTrue(best >= 0 && model.treeCount() < model.info().treesInFile(),
                        "early stopping must leave unused trees in the file for this case to mean anything");
            }
            // XGBoost4J's treeLimit is the legacy ntree_limit: trees (divided by num_parallel_tree into rounds); 0 = all.
            int rounds = best >= 0 ? model.treeCount() : 0;

            float[][] expected = booster.predict(evalMatrix, false, rounds);
            float[] row = new float[PaymentBatch.WIDTH];
            double maxDiff = 0;
            for (int r = 0; r < EVAL_ROWS; r++) {
                System.arraycopy(evalFeatures, r * PaymentBatch.WIDTH, row, 0, row.length);
                maxDiff = Math.max(maxDiff, Math.abs(model.score(row) - expected[r][0]));
            }
            assertTrue(maxDiff <= 1e-6, "max |score - XGBoost| = " + maxDiff);

            double[] batch = new double[EVAL_ROWS];
            model.scoreBatch(evalFeatures, EVAL_ROWS, batch);
            for (int r = 0; r < EVAL_ROWS; r += 997) {
                System.arraycopy(evalFeatures, r * PaymentBatch.WIDTH, row, 0, row.length);
                assertEquals(model.score(row), batch[r], 0.0, "batch and single-row scores differ at row " + r);
            }

            float[][] contrib = booster.predictContrib(shapMatrix, rounds);
            TreeShap shap = new TreeShap(model);
            TreeShap.Workspace ws = shap.newWorkspace();
            double[] phi = new double[PaymentBatch.WIDTH + 1];
            double maxShapDiff = 0;
            double maxSumDiff = 0;
            for (int r = 0; r < SHAP_ROWS; r++) {
                System.arraycopy(evalFeatures, r * PaymentBatch.WIDTH, row, 0, row.length);
                shap.contributions(row, phi, ws);
                double sum = 0;
                for (int f = 0; f <= PaymentBatch.WIDTH; f++) {
                    maxShapDiff = Math.max(maxShapDiff, Math.abs(phi[f] - contrib[r][f]));
                    sum += phi[f];
                }
                maxSumDiff = Math.max(maxSumDiff, Math.abs(sum - model.margin(row)));
            }
            assertTrue(maxShapDiff <= 1e-5, "max |contribution - XGBoost predictContrib| = " + maxShapDiff);
            assertTrue(maxSumDiff <= 1e-9, "contributions + bias must equal the margin, off by " + maxSumDiff);
        } finally {
            booster.dispose();
        }
    }
}
