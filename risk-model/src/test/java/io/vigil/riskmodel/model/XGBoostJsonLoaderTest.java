package io.vigil.riskmodel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class XGBoostJsonLoaderTest {

    private static final double EPS = 1e-12;

    @Test
    void shouldScoreHandWorkedModel() {
        TreeEnsemble model = ModelJson.handWorked("5E-1").load();
        assertEquals(List.of("x0", "x1"), model.featureNames());
        assertEquals(2, model.treeCount());
        assertEquals(0.0, model.baseMargin(), EPS);
        assertEquals(-1.0 + 0.25, model.margin(new float[] {0.2f, 9f}), EPS);
        assertEquals(0.5 + 0.25, model.margin(new float[] {0.7f, 1f}), EPS);
        assertEquals(2.0 + 0.25, model.margin(new float[] {0.7f, 3f}), EPS);
        assertEquals(1.0 / (1.0 + Math.exp(-0.75)), model.score(new float[] {0.7f, 1f}), EPS);
    }

    @Test
    void shouldGoRightWhenValueEqualsThreshold() {
        TreeEnsemble model = ModelJson.handWorked("5E-1").load();
        assertEquals(0.75, model.margin(new float[] {0.5f, 1f}), EPS);
        assertEquals(2.25, model.margin(new float[] {0.7f, 2.0f}), EPS);
        assertEquals(-0.75, model.margin(new float[] {Math.nextDown(0.5f), 1f}), EPS);
    }

    @Test
    void shouldCompareAsFloatLikeXGBoost() {
        TreeEnsemble model = ModelJson.handWorked("5E-1").load();
        // 0.49999999999 is below 0.5 as a double but rounds to 0.5f, so XGBoost sends it right.
        assertEquals(0.75, model.margin(new double[] {0.49999999999, 1.0}), EPS);
        assertEquals(-0.75, model.margin(new double[] {0.4999, 1.0}), EPS);
    }

    @Test
    void shouldSendMissingValuesToTheDefaultChild() {
        TreeEnsemble model = ModelJson.handWorked("5E-1").load();
        assertEquals(-0.75, model.margin(new float[] {Float.NaN, 3f}), EPS, "root defaults left");
        assertEquals(2.25, model.margin(new float[] {0.7f, Float.NaN}), EPS, "second split defaults right");
        assertEquals(2.25, model.margin(new double[] {0.7, Double.NaN}), EPS);
    }

    @Test
    void shouldReadBothBaseScoreEncodings() {
        double logit = Math.log(0.2 / 0.8);
        assertEquals(logit, ModelJson.handWorked("2E-1").load().baseMargin(), 1e-7);
        assertEquals(logit, ModelJson.handWorked("[2E-1]").load().baseMargin(), 1e-7);
        assertEquals(logit - 0.75, ModelJson.handWorked("[2E-1]").load().margin(new float[] {0.2f, 0f}), 1e-7);
    }

    @Test
    void shouldHonourBestIteration() {
        ModelJson json = ModelJson.handWorked("5E-1");
        json.learner().with("attributes").put("best_iteration", "0");
        TreeEnsemble model = json.load();
        assertEquals(1, model.treeCount());
        assertEquals(2, model.info().treesInFile());
        assertEquals(0.5, model.margin(new float[] {0.7f, 1f}), EPS);
    }

    @Test
    void shouldScoreBatchLikeSingleRows() {
        TreeEnsemble model = ModelJson.handWorked("5E-1").load();
        float[] rows = {0.2f, 9f, 0.7f, 1f, Float.NaN, 3f};
        double[] out = new double[3];
        model.scoreBatch(rows, 3, out);
        assertEquals(model.score(new float[] {0.2f, 9f}), out[0], 0.0);
        assertEquals(model.score(new float[] {0.7f, 1f}), out[1], 0.0);
        assertEquals(model.score(new float[] {Float.NaN, 3f}), out[2], 0.0);
    }

    @Test
    void shouldMapColumnsByName() {
        TreeEnsemble model = ModelJson.handWorked("5E-1").load();
        assertEquals(List.of(2, 0), java.util.Arrays.stream(model.columnsFor(List.of("x1", "id", "x0"))).boxed().toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.columnsFor(List.of("x0", "id")));
        assertTrue(e.getMessage().contains("'x1'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.margin(new float[3]));
    }

    private static String refusal(Consumer<ModelJson> breakIt) {
        ModelJson json = ModelJson.handWorked("5E-1");
        breakIt.accept(json);
        return assertThrows(ModelLoadException.class, json::load).getMessage();
    }

    @Test
    void shouldNameEachUnsupportedOrCorruptPart() {
        assertTrue(refusal(j -> j.learner().with("objective").put("name", "reg:squarederror"))
                .contains("objective 'reg:squarederror' is unsupported"));
        assertTrue(refusal(j -> j.learner().with("gradient_booster").put("name", "dart"))
                .contains("booster 'dart' is unsupported"));
        assertTrue(refusal(j -> j.learner().with("gradient_booster").put("name", "gblinear"))
                .contains("booster 'gblinear' is unsupported"));
        assertTrue(refusal(j -> ((ArrayNode) j.tree(0).get("split_type")).set(0, 1))
                .contains("tree 0 has a categorical split"));
        assertTrue(refusal(j -> j.tree(0).withArray("categories").add(3))
                .contains("categorical split categories"));
        assertTrue(refusal(j -> ((ArrayNode) j.learner().get("feature_types")).add("c").add("q"))
                .contains("feature 'x0' is categorical"));
        assertTrue(refusal(j -> j.learner().with("learner_model_param").put("num_class", "3"))
                .contains("multi-output models are unsupported"));
        assertTrue(refusal(j -> j.learner().with("learner_model_param").put("base_score", "[5E-1,5E-1]"))
                .contains("base_score has several values"));
        assertTrue(refusal(j -> j.learner().with("learner_model_param").put("base_score", "1"))
                .contains("strictly between 0 and 1"));
        assertTrue(refusal(j -> ((ArrayNode) j.root.get("version")).set(0, 4))
                .contains("XGBoost 4.0.4 is unsupported"));
        assertTrue(refusal(j -> ((ArrayNode) j.root.get("version")).set(0, 1).set(1, 6))
                .contains("XGBoost 1.6.4 is unsupported"));
        assertTrue(refusal(j -> j.learner().remove("gradient_booster"))
                .contains("lacks field 'learner.gradient_booster'"));
        assertTrue(refusal(j -> ((ArrayNode) j.tree(0).get("left_children")).set(2, 9))
                .contains("tree 0 node 2 has child 9 outside 1..4"));
        assertTrue(refusal(j -> ((ArrayNode) j.tree(0).get("left_children")).set(2, 1))
                .contains("tree 0 node 1 is reached twice"));
        assertTrue(refusal(j -> ((ArrayNode) j.tree(0).get("split_indices")).set(0, 7))
                .contains("splits on feature 7 but the model has 2 features"));
        assertTrue(refusal(j -> ((ArrayNode) j.tree(0).get("sum_hessian")).remove(0))
                .contains("tree 0.sum_hessian must be an array of num_nodes=5 values"));
        assertTrue(refusal(j -> j.learner().with("attributes").put("best_iteration", "5"))
                .contains("best_iteration 5 is beyond the 2 boosting rounds"));
        assertTrue(refusal(j -> ((ObjectNode) j.tree(1).get("tree_param")).put("size_leaf_vector", "3"))
                .contains("multi-target trees are unsupported"));
    }

    @Test
    void shouldRefuseInputThatIsNotAJsonModel() {
        XGBoostJsonLoader loader = new XGBoostJsonLoader();
        assertTrue(assertThrows(ModelLoadException.class, () -> loader.parse(new byte[0])).getMessage()
                .contains("empty"));
        assertTrue(assertThrows(ModelLoadException.class,
                () -> loader.parse("{\"learner\": {".getBytes(StandardCharsets.UTF_8))).getMessage()
                .startsWith("model file is not valid JSON"));
        assertTrue(assertThrows(UnsupportedModelException.class,
                () -> loader.parse(new byte[] {'{', 'L', 0, 0, 0, 0, 0, 0, 0, 7})).getMessage().contains("UBJSON"));
        assertTrue(assertThrows(ModelLoadException.class,
                () -> loader.parse("{\"a\": 1}".getBytes(StandardCharsets.UTF_8))).getMessage()
                .contains("lacks the XGBoost 'version' field"));
        assertTrue(assertThrows(ModelLoadException.class,
                () -> loader.load(java.nio.file.Path.of("/nonexistent/model.json"))).getMessage()
                .contains("cannot read model file"));
    }
}
