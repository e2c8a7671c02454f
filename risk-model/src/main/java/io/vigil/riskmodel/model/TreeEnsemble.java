package io.vigil.riskmodel.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A binary:logistic gradient-boosted tree ensemble, flattened into primitive arrays so that a single-row evaluation walks
 * plain arrays and allocates nothing. Immutable once built, so one instance is shared by every scoring thread.
 *
 * <p>Nodes of all trees live in one set of arrays. Within a tree the two children of a node are adjacent (right = left + 1),
 * which keeps a root-to-leaf walk within a few cache lines. A leaf has feature -1 and its value in {@code value}; an inner
 * node holds its split threshold there. The split rule is XGBoost's: go left when {@code (float) x < threshold}, and a
 * missing value (NaN) goes to the node's default child.
 */
public final class TreeEnsemble {

    private final List<String> featureNames;
    private final Map<String, Integer> featureIndex;
    private final int[] roots;
    private final int[] feature;
    private final float[] value;
    private final int[] left;
    private final int[] missing;
    private final double[] cover;
    private final double baseMargin;
    private final int maxDepth;
    private final ModelInfo info;

    TreeEnsemble(List<String> featureNames, int[] roots, int[] feature, float[] value, int[] left, int[] missing,
            double[] cover, double baseMargin, ModelInfo info) {
        this.featureNames = List.copyOf(featureNames);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < featureNames.size(); i++) {
            if (index.putIfAbsent(featureNames.get(i), i) != null) {
                throw new ModelLoadException("feature name '" + featureNames.get(i) + "' appears twice in the model");
            }
        }
        this.featureIndex = Map.copyOf(index);
        this.roots = roots;
        this.feature = feature;
        this.value = value;
        this.left = left;
        this.missing = missing;
        this.cover = cover;
        this.baseMargin = baseMargin;
        this.info = info;
        int deepest = 0;
        for (int t = 0; t < roots.length; t++) {
            deepest = Math.max(deepest, depth(roots[t]));
        }
        this.maxDepth = deepest;
    }

    private int depth(int node) {
        if (feature[node] < 0) {
            return 0;
        }
        return 1 + Math.max(depth(left[node]), depth(left[node] + 1));
    }

    /** Log-odds of fraud for one row; {@code x} is indexed by {@link #featureNames()} order, NaN for missing. */
    public double margin(float[] x) {
        checkWidth(x.length);
        return sumOfTrees(x, 0);
    }

    /**
     * baseMargin plus every tree's leaf for the row starting at {@code base}. (Two layouts were tried and measured slower here:
     * walking four trees side by side to overlap their loads, whose extra branches cost more than the overlap gained;
     * and the four node arrays interleaved into one, 3.25 against 3.04 µs: all nodes of the default model fit in L2
     * either way, and the time goes to mispredicted branches, not to memory.)
     */
    private double sumOfTrees(float[] x, int base) {
        final int[] feature = this.feature;
        final float[] value = this.value;
        final int[] left = this.left;
        final int[] missing = this.missing;
        double sum = baseMargin;
        for (int root : roots) {
            int n = root;
            int f;
            while ((f = feature[n]) >= 0) {
                float v = x[base + f];
                // NaN fails every comparison, so only the not-left branch needs the missing check.
                n = v < value[n] ? left[n] : (v == v ? left[n] + 1 : missing[n]);
            }
            sum += value[n];
        }
        return sum;
    }

    /** Same as {@link #margin(float[])}; each value is narrowed to float first, exactly as XGBoost's DMatrix does. */
    public double margin(double[] x) {
        checkWidth(x.length);
        final int[] feature = this.feature;
        final float[] value = this.value;
        final int[] left = this.left;
        final int[] missing = this.missing;
        double sum = baseMargin;
        for (int root : roots) {
            int n = root;
            int f;
            while ((f = feature[n]) >= 0) {
                float v = (float) x[f];
                n = v < value[n] ? left[n] : (v == v ? left[n] + 1 : missing[n]);
            }
            sum += value[n];
        }
        return sum;
    }

    /** Fraud probability for one row. */
    public double score(float[] x) {
        return sigmoid(margin(x));
    }

    /** Fraud probability for one row. */
    public double score(double[] x) {
        return sigmoid(margin(x));
    }

    /**
     * Scores {@code rows} rows stored row-major in {@code x} (row r at {@code x[r * featureCount()]}) into {@code out}.
     * Allocates nothing.
     */
    public void scoreBatch(float[] x, int rows, double[] out) {
        int width = featureNames.size();
        if (x.length < rows * width || out.length < rows) {
            throw new IllegalArgumentException("batch of " + rows + " rows needs " + rows * width + " values and "
                    + rows + " outputs, got " + x.length + " and " + out.length);
        }
        for (int r = 0; r < rows; r++) {
            out[r] = sigmoid(sumOfTrees(x, r * width));
        }
    }

    public static double sigmoid(double margin) {
        return 1.0 / (1.0 + Math.exp(-margin));
    }

    private void checkWidth(int length) {
        if (length != featureNames.size()) {
            throw new IllegalArgumentException(
                    "feature vector has " + length + " values, the model expects " + featureNames.size());
        }
    }

    /** Feature names in the order a feature vector must follow. */
    public List<String> featureNames() {
        return featureNames;
    }

    public int featureCount() {
        return featureNames.size();
    }

    /**
     * Maps column names to model feature positions once, so callers can fill feature vectors without name lookups on the
     * hot path. Result[i] is the column index in {@code columns} of model feature i.
     *
     * @throws IllegalArgumentException naming the first model feature that {@code columns} lacks
     */
    public int[] columnsFor(List<String> columns) {
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            byName.putIfAbsent(columns.get(i), i);
        }
        int[] mapping = new int[featureNames.size()];
        for (int i = 0; i < mapping.length; i++) {
            Integer column = byName.get(featureNames.get(i));
            if (column == null) {
                throw new IllegalArgumentException("required feature column '" + featureNames.get(i) + "' is missing");
            }
            mapping[i] = column;
        }
        return mapping;
    }

    /** Position of a feature in the model's vector, or -1. */
    public int indexOf(String featureName) {
        return featureIndex.getOrDefault(featureName, -1);
    }

    /** Number of trees that take part in a prediction (after early stopping is honoured). */
    public int treeCount() {
        return roots.length;
    }

    /** Longest root-to-leaf path, in edges. */
    public int maxDepth() {
        return maxDepth;
    }

    /** logit(base_score): the margin before any tree is added. */
    public double baseMargin() {
        return baseMargin;
    }

    public ModelInfo info() {
        return info;
    }

    // Read-only structural access for explanation algorithms (TreeSHAP); arrays never leave this class.

    public int root(int tree) {
        return roots[tree];
    }

    /** Split feature of a node, or -1 for a leaf. */
    public int splitFeature(int node) {
        return feature[node];
    }

    /** Split threshold of an inner node, or the value of a leaf. */
    public float nodeValue(int node) {
        return value[node];
    }

    public int leftChild(int node) {
        return left[node];
    }

    public int rightChild(int node) {
        return left[node] + 1;
    }

    public int missingChild(int node) {
        return missing[node];
    }

    /** Sum of hessians of the training rows that reached the node (XGBoost's "cover"). */
    public double cover(int node) {
        return cover[node];
    }

    /** The child a value follows at an inner node: the same rule as {@link #margin(float[])}. */
    public int childFor(int node, float v) {
        return v < value[node] ? left[node] : (v == v ? left[node] + 1 : missing[node]);
    }

    @Override
    public String toString() {
        return "TreeEnsemble[" + roots.length + " trees, depth " + maxDepth + ", " + featureNames.size() + " features, "
                + info + "]";
    }

    int nodeCount() {
        return feature.length;
    }

}
