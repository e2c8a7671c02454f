package io.vigil.riskmodel.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How much a model depends on each of its features, from the model itself: XGBoost's {@code total_cover}, the sum
 * over every split on the feature of the split node's cover (the hessian mass of the training rows that reached it).
 * A feature many training rows are routed by ranks high; a feature split on only deep in rare branches ranks low, and
 * one the model never splits on has 0. Cover rather than gain because the JSON model keeps cover for every node and
 * this evaluator reads it already; for the default model both rank account history first.
 */
public final class FeatureImportance {

    private FeatureImportance() {
    }

    /** Total cover per model feature, in the model's feature order. */
    public static double[] totalCover(TreeEnsemble model) {
        double[] total = new double[model.featureCount()];
        for (int t = 0; t < model.treeCount(); t++) {
            add(model, model.root(t), total);
        }
        return total;
    }

    private static void add(TreeEnsemble model, int node, double[] total) {
        int f = model.splitFeature(node);
        if (f < 0) {
            return;
        }
        total[f] += model.cover(node);
        add(model, model.leftChild(node), total);
        add(model, model.rightChild(node), total);
    }

    /**
     * Model feature indexes, most depended on first; features the model never splits on are left out. Ties keep the
     * model's feature order.
     */
    public static int[] ranking(TreeEnsemble model) {
        double[] total = totalCover(model);
        List<Integer> used = new ArrayList<>();
        for (int f = 0; f < total.length; f++) {
            if (total[f] > 0.0) {
                used.add(f);
            }
        }
        used.sort(Comparator.comparingDouble((Integer f) -> -total[f]));
        return used.stream().mapToInt(Integer::intValue).toArray();
    }
}
