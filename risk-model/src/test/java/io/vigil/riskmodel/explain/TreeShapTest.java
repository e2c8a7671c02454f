package io.vigil.riskmodel.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.riskmodel.model.ModelJson;
import io.vigil.riskmodel.model.TreeEnsemble;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TreeShapTest {

    @Test
    void shouldMatchHandWorkedShapleyValues() {
        TreeEnsemble model = ModelJson.handWorked("5E-1").load();
        TreeShap shap = new TreeShap(model);
        // v({}) = 0.35, v({x0}) = 65/70, v({x1}) = 0.05, v({x0,x1}) = 0.5 for x = (0.7, 1.0); tree 1 adds 0.25 to the bias.
        double[] phi = shap.contributions(new float[] {0.7f, 1f});
        assertEquals(0.5 * ((65.0 / 70 - 0.35) + (0.5 - 0.05)), phi[0], 1e-6);
        assertEquals(0.5 * ((0.05 - 0.35) + (0.5 - 65.0 / 70)), phi[1], 1e-6);
        assertEquals(0.35 + 0.25, phi[2], 1e-6);
        assertEquals(model.margin(new float[] {0.7f, 1f}), phi[0] + phi[1] + phi[2], 1e-12);
    }

    @Test
    void shouldCreditAFeatureThroughTheBranchItWouldChangeWhenOthersAreUnknown() {
        TreeEnsemble model = ModelJson.handWorked("2E-1").load();
        // x = (0.2, 100): x0 alone decides the leaf (-1), yet with x0 unknown, x1 = 100 lifts v({x1}) to 1.1.
        double[] phi = new TreeShap(model).contributions(new float[] {0.2f, 100f});
        assertEquals(0.5 * ((1.1 - 0.35) + (-1.0 - -1.0)), phi[1], 1e-6);
        assertEquals(0.5 * ((-1.0 - 0.35) + (-1.0 - 1.1)), phi[0], 1e-6);
    }

    /** Independent check: Shapley values by enumerating every feature subset of the path-dependent value function. */
    @ParameterizedTest(name = "precomputed leaf tables: {0}")
    @ValueSource(booleans = {true, false})
    void shouldMatchBruteForceShapleyOnRandomEnsembles(boolean precompute) {
        SplittableRandom rnd = new SplittableRandom(5);
        int features = 5;
        for (int trial = 0; trial < 20; trial++) {
            List<ModelJson.Tree> trees = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                trees.add(ModelJson.randomTree(rnd, features, 1 + rnd.nextInt(5)));
            }
            TreeEnsemble model = new ModelJson(features, "3E-1", trees).load();
            TreeShap shap = new TreeShap(model, precompute);
            TreeShap.Workspace ws = shap.newWorkspace();
            double[] phi = new double[features + 1];
            for (int row = 0; row < 10; row++) {
                float[] x = new float[features];
                for (int f = 0; f < features; f++) {
                    x[f] = rnd.nextDouble() < 0.15 ? Float.NaN : rnd.nextInt(6) - 0.5f;
                }
                shap.contributions(x, phi, ws);
                double[] expected = bruteForce(model, x);
                for (int f = 0; f < features; f++) {
                    assertEquals(expected[f], phi[f], 1e-9, "trial " + trial + " row " + row + " feature " + f);
                }
                assertEquals(value(model, x, 0), phi[features], 1e-9, "bias");
                double sum = 0;
                for (double p : phi) {
                    sum += p;
                }
                assertEquals(model.margin(x), sum, 1e-9);
            }
        }
    }

    private static double[] bruteForce(TreeEnsemble model, float[] x) {
        int m = x.length;
        double[] phi = new double[m];
        double[] factorial = new double[m + 1];
        factorial[0] = 1;
        for (int i = 1; i <= m; i++) {
            factorial[i] = factorial[i - 1] * i;
        }
        for (int f = 0; f < m; f++) {
            for (int s = 0; s < (1 << m); s++) {
                if ((s & (1 << f)) != 0) {
                    continue;
                }
                int size = Integer.bitCount(s);
                double weight = factorial[size] * factorial[m - size - 1] / factorial[m];
                phi[f] += weight * (value(model, x, s | (1 << f)) - value(model, x, s));
            }
        }
        return phi;
    }

    /** Expected margin when only the features in {@code known} are known; unknown ones split by cover. */
    private static double value(TreeEnsemble model, float[] x, int known) {
        double v = model.baseMargin();
        for (int t = 0; t < model.treeCount(); t++) {
            v += value(model, x, known, model.root(t));
        }
        return v;
    }

    private static double value(TreeEnsemble model, float[] x, int known, int node) {
        int f = model.splitFeature(node);
        if (f < 0) {
            return model.nodeValue(node);
        }
        if ((known & (1 << f)) != 0) {
            return value(model, x, known, model.childFor(node, x[f]));
        }
        int l = model.leftChild(node);
        int r = model.rightChild(node);
        return (model.cover(l) * value(model, x, known, l) + model.cover(r) * value(model, x, known, r))
                / model.cover(node);
    }
}
