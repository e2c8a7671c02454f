package io.vigil.training.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.riskmodel.model.ModelLoadException;
import io.vigil.riskmodel.model.UnsupportedModelException;
import io.vigil.riskmodel.model.XGBoostJsonLoader;
import io.vigil.riskmodel.population.PaymentBatch;
import io.vigil.training.train.XGBoostData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models XGBoost really writes but the evaluator must refuse, each with its own message. */
class UnsupportedXGBoostModelsTest {

    @TempDir
    static Path dir;

    private static PaymentBatch data;

    @BeforeAll
    static void data() {
        data = XGBoostModels.population(31, 3_000);
    }

    private static Path trained(String name, Map<String, Object> overrides, DMatrixCustomiser customiser)
            throws Exception {
        Map<String, Object> params = XGBoostModels.params(3, 0.3);
        params.putAll(overrides);
        DMatrix train = XGBoostData.labelled(data, 0, data.size());
        try {
            customiser.apply(train);
            Booster booster = XGBoost.train(train, params, 3, Map.of(), null, null);
            try {
                return XGBoostModels.save(booster, dir, name);
            } finally {
                booster.dispose();
            }
        } finally {
            train.dispose();
        }
    }

    @FunctionalInterface
    interface DMatrixCustomiser {
        void apply(DMatrix m) throws Exception;
    }

    private static String refusal(Path model) {
        return assertThrows(ModelLoadException.class, () -> new XGBoostJsonLoader().load(model)).getMessage();
    }

    @Test
    void shouldRefuseDartBooster() throws Exception {
        String message = refusal(trained("dart", Map.of("booster", "dart", "rate_drop", 0.1), m -> { }));
        assertTrue(message.contains("booster 'dart' is unsupported"), message);
    }

    @Test
    void shouldRefuseLinearBooster() throws Exception {
        String message = refusal(trained("gblinear", Map.of("booster", "gblinear"), m -> { }));
        assertTrue(message.contains("booster 'gblinear' is unsupported"), message);
    }

    @Test
    void shouldRefuseOtherObjectives() throws Exception {
        String message = refusal(trained("regression", Map.of("objective", "reg:squarederror"), m -> { }));
        assertTrue(message.contains("objective 'reg:squarederror' is unsupported"), message);
        String raw = refusal(trained("logitraw", Map.of("objective", "binary:logitraw"), m -> { }));
        assertTrue(raw.contains("objective 'binary:logitraw' is unsupported"), raw);
    }

    @Test
    void shouldRefuseCategoricalFeatures() throws Exception {
        String[] types = new String[PaymentBatch.WIDTH];
        java.util.Arrays.fill(types, "q");
        types[2] = "c";
        Exception e = assertThrows(UnsupportedModelException.class, () -> new XGBoostJsonLoader().load(
                trained("categorical", Map.of("enable_categorical", true, "max_cat_to_onehot", 1),
                        m -> m.setFeatureTypes(types))));
        assertTrue(e.getMessage().contains("categorical"), e.getMessage());
        assertTrue(e.getMessage().contains("merchant_category"), e.getMessage());
    }

    @Test
    void shouldRefuseTruncatedModel() throws Exception {
        Path good = trained("good", Map.of(), m -> { });
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.json");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        String message = refusal(truncated);
        assertTrue(message.startsWith("model file is not valid JSON"), message);
        assertEquals(3, new XGBoostJsonLoader().load(good).treeCount());
    }

    @Test
    void shouldRefuseBinaryModelFormat() throws Exception {
        DMatrix train = XGBoostData.labelled(data, 0, data.size());
        Booster booster = XGBoost.train(train, XGBoostModels.params(3, 0.3), 2, Map.of(), null, null);
        Path ubj = dir.resolve("model.ubj");
        booster.saveModel(ubj.toString());
        booster.dispose();
        train.dispose();
        String message = refusal(ubj);
        assertTrue(message.contains("UBJSON"), message);
    }
}
