package io.vigil.training.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.riskmodel.model.FeatureImportance;
import io.vigil.riskmodel.model.TreeEnsemble;
import io.vigil.riskmodel.model.XGBoostJsonLoader;
import io.vigil.training.train.XGBoostData;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluator's total-cover importance (scoring's coverage rule ranks key features by it) against XGBoost's own. */
class FeatureImportanceParityTest {

    @TempDir
    Path dir;

    @Test
    void totalCoverMatchesXGBoostsGetScore() throws Exception {
        // No watch list: with one, XGBoost4J records a best_iteration, the evaluator then (rightly) keeps only the
        // trees up to it, while getScore counts every tree.
        DMatrix train = XGBoostData.labelled(XGBoostModels.population(11, 30_000), 0, 30_000);
        Booster booster = XGBoost.train(train, XGBoostModels.params(4, 0.3), 40, new HashMap<>(), null, null);
        train.dispose();
        try {
            String[] names = PaymentFeature.names().toArray(String[]::new);
            Map<String, Double> expected = booster.getScore(names, "total_cover");
            TreeEnsemble model = new XGBoostJsonLoader().load(XGBoostModels.save(booster, dir, "importance"));
            double[] actual = FeatureImportance.totalCover(model);
            assertTrue(expected.size() > 10, "features used: " + expected.keySet());
            for (int f = 0; f < actual.length; f++) {
                double want = expected.getOrDefault(model.featureNames().get(f), 0.0);
                assertEquals(want, actual[f], 1e-5 * Math.max(1.0, want), model.featureNames().get(f));
            }
        } finally {
            booster.dispose();
        }
    }
}
