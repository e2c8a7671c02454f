package io.vigil.training.parity;

import io.vigil.riskmodel.population.PaymentBatch;
import io.vigil.riskmodel.population.PopulationConfig;
import io.vigil.riskmodel.population.PopulationGenerator;
import io.vigil.training.train.XGBoostData;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/** Small XGBoost4J training runs shared by the tests; kept small so the module's tests stay fast on 2 cores. */
final class XGBoostModels {

    private XGBoostModels() {
    }

    static PaymentBatch population(long seed, int rows) {
        return new PopulationGenerator(PopulationConfig.baseline(seed)).generate(0, rows);
    }

    /** Row-major features with an extra share of cells blanked out, so every split's default direction is exercised. */
    static float[] withExtraMissing(PaymentBatch batch, double share, long seed) {
        float[] x = java.util.Arrays.copyOf(batch.features(), batch.size() * PaymentBatch.WIDTH);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) {
            if (rnd.nextDouble() < share) {
                x[i] = Float.NaN;
            }
        }
        return x;
    }

    static Map<String, Object> params(int depth, double eta) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("objective", "binary:logistic");
        p.put("tree_method", "hist");
        p.put("max_depth", depth);
        p.put("eta", eta);
        p.put("eval_metric", "logloss");
        p.put("nthread", 2);
        p.put("seed", 7);
        p.put("verbosity", 0);
        return p;
    }

    /** Trains on the first 80% of {@code data}, watching the rest; early stopping when {@code earlyStopping > 0}. */
    static Booster train(PaymentBatch data, Map<String, Object> params, int rounds, int earlyStopping) throws Exception {
        int validation = data.size() / 5;
        int trainRows = data.size() - validation;
        DMatrix train = XGBoostData.labelled(data, 0, trainRows);
        DMatrix valid = XGBoostData.labelled(data, trainRows, validation);
        try {
            Map<String, DMatrix> watches = new LinkedHashMap<>();
            watches.put("train", train);
            watches.put("validation", valid);
            return XGBoost.train(train, params, rounds, watches, new float[2][rounds], null, null, earlyStopping);
        } finally {
            train.dispose();
            valid.dispose();
        }
    }

    static Path save(Booster booster, Path dir, String name) throws Exception {
        Path file = dir.resolve(name + ".json");
        booster.saveModel(file.toString());
        return file;
    }
}
