package io.vigil.riskmodel.explain;

import io.vigil.riskmodel.model.TreeEnsemble;

/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion and Lee, 2018, Algorithm 2), following XGBoost's own implementation
 * ({@code predictContrib}) so both give the same numbers: each feature's contribution to the margin (log-odds), plus a
 * bias term, the expected margin over the training distribution as recorded in the node covers. Contributions + bias =
 * margin, exactly up to rounding.
 *
 * <p>Models whose per-leaf tables fit in {@link LeafPatternTable#MAX_ENTRIES} (the default 150-tree depth-5 model takes
 * about 6 MB) are explained from those tables, the same numbers an order of magnitude faster; larger ones by the
 * recursive algorithm.
 *
 * <p>Immutable and thread-safe; the per-call scratch space lives in a {@link Workspace} that each thread owns, so an
 * explanation allocates nothing.
 */
public final class TreeShap {

    private final TreeEnsemble model;
    private final double bias;
    /** Precomputed per-leaf tables, or null for models too large for them (then the recursive algorithm runs). */
    private final LeafPatternTable leafTable;

    public TreeShap(TreeEnsemble model) {
        this(model, true);
    }

    /** @param precompute false forces the recursive algorithm (tests compare both) */
    TreeShap(TreeEnsemble model, boolean precompute) {
        this.model = model;
        this.leafTable = precompute ? LeafPatternTable.build(model) : null;
        double expected = model.baseMargin();
        for (int t = 0; t < model.treeCount(); t++) {
            expected += meanValue(model.root(t));
        }
        this.bias = expected;
    }

    /** Cover-weighted mean leaf value below a node: what the tree predicts when no feature is known. */
    private double meanValue(int node) {
        if (model.splitFeature(node) < 0) {
            return model.nodeValue(node);
        }
        int l = model.leftChild(node);
        int r = model.rightChild(node);
        return (meanValue(l) * model.cover(l) + meanValue(r) * model.cover(r)) / model.cover(node);
    }

    /** The expected margin: the bias term of every explanation. */
    public double bias() {
        return bias;
    }

    public TreeEnsemble model() {
        return model;
    }

    /** Scratch space for one thread; sized for this model's deepest tree. */
    public Workspace newWorkspace() {
        return new Workspace(model.maxDepth(), leafTable == null ? 0 : leafTable.positions());
    }

    /** Allocating convenience: contributions per feature, with the bias at index {@code featureCount()}. */
    public double[] contributions(float[] x) {
        double[] phi = new double[model.featureCount() + 1];
        contributions(x, phi, newWorkspace());
        return phi;
    }

    /**
     * Writes each feature's contribution into {@code phi[0..featureCount)} and the bias into {@code phi[featureCount]}.
     * Allocates nothing.
     */
    public void contributions(float[] x, double[] phi, Workspace ws) {
        int width = model.featureCount();
        if (x.length != width || phi.length != width + 1) {
            throw new IllegalArgumentException("need " + width + " feature values and " + (width + 1)
                    + " outputs, got " + x.length + " and " + phi.length);
        }
        if (ws.capacity < Workspace.size(model.maxDepth())) {
            throw new IllegalArgumentException("workspace was made for a shallower model");
        }
        java.util.Arrays.fill(phi, 0.0);
        if (leafTable != null) {
            if (ws.pattern.length < leafTable.positions()) {
                throw new IllegalArgumentException("workspace was made for another model");
            }
            leafTable.accumulate(x, phi, ws.pattern);
            phi[width] = bias;
            return;
        }
        for (int t = 0; t < model.treeCount(); t++) {
            int root = model.root(t);
            if (model.splitFeature(root) >= 0) {
                // Slot 0 is the parent path of the root: empty, its element overwritten by the first extend.
                recurse(x, phi, ws, root, 0, 0, 1.0, 1.0, -1);
            }
        }
        phi[width] = bias;
    }

    private void recurse(float[] x, double[] phi, Workspace ws, int node, int uniqueDepth, int parentOffset,
            double parentZero, double parentOne, int parentFeature) {
        int offset = parentOffset + uniqueDepth + 1;
        int[] feature = ws.feature;
        double[] zero = ws.zero;
        double[] one = ws.one;
        double[] weight = ws.weight;
        System.arraycopy(feature, parentOffset, feature, offset, uniqueDepth + 1);
        System.arraycopy(zero, parentOffset, zero, offset, uniqueDepth + 1);
        System.arraycopy(one, parentOffset, one, offset, uniqueDepth + 1);
        System.arraycopy(weight, parentOffset, weight, offset, uniqueDepth + 1);
        extend(ws, offset, uniqueDepth, parentZero, parentOne, parentFeature);

        int split = model.splitFeature(node);
        if (split < 0) {
            double leaf = model.nodeValue(node);
            for (int i = 1; i <= uniqueDepth; i++) {
                double w = unwoundPathSum(ws, offset, uniqueDepth, i);
                phi[feature[offset + i]] += w * (one[offset + i] - zero[offset + i]) * leaf;
            }
            return;
        }

        int hot = model.childFor(node, x[split]);
        int cold = hot == model.leftChild(node) ? model.rightChild(node) : model.leftChild(node);
        double cover = model.cover(node);
        double hotZero = model.cover(hot) / cover;
        double coldZero = model.cover(cold) / cover;
        double incomingZero = 1.0;
        double incomingOne = 1.0;

        // A feature already on the path is unwound so that this split re-applies it with the combined fractions.
        int pathIndex = 0;
        for (; pathIndex <= uniqueDepth; pathIndex++) {
            if (feature[offset + pathIndex] == split) {
                break;
            }
        }
        if (pathIndex != uniqueDepth + 1) {
            incomingZero = zero[offset + pathIndex];
            incomingOne = one[offset + pathIndex];
            unwind(ws, offset, uniqueDepth, pathIndex);
            uniqueDepth -= 1;
        }

        recurse(x, phi, ws, hot, uniqueDepth + 1, offset, hotZero * incomingZero, incomingOne, split);
        recurse(x, phi, ws, cold, uniqueDepth + 1, offset, coldZero * incomingZero, 0.0, split);
    }

    private static void extend(Workspace ws, int offset, int uniqueDepth, double zeroFraction, double oneFraction,
            int featureIndex) {
        double[] w = ws.weight;
        ws.feature[offset + uniqueDepth] = featureIndex;
        ws.zero[offset + uniqueDepth] = zeroFraction;
        ws.one[offset + uniqueDepth] = oneFraction;
        w[offset + uniqueDepth] = uniqueDepth == 0 ? 1.0 : 0.0;
        for (int i = uniqueDepth - 1; i >= 0; i--) {
            w[offset + i + 1] += oneFraction * w[offset + i] * (i + 1) / (double) (uniqueDepth + 1);
            w[offset + i] = zeroFraction * w[offset + i] * (uniqueDepth - i) / (double) (uniqueDepth + 1);
        }
    }

    private static void unwind(Workspace ws, int offset, int uniqueDepth, int pathIndex) {
        double[] w = ws.weight;
        double oneFraction = ws.one[offset + pathIndex];
        double zeroFraction = ws.zero[offset + pathIndex];
        double nextOnePortion = w[offset + uniqueDepth];
        for (int i = uniqueDepth - 1; i >= 0; i--) {
            if (oneFraction != 0) {
                double tmp = w[offset + i];
                w[offset + i] = nextOnePortion * (uniqueDepth + 1) / ((i + 1) * oneFraction);
                nextOnePortion = tmp - w[offset + i] * zeroFraction * (uniqueDepth - i) / (double) (uniqueDepth + 1);
            } else {
                w[offset + i] = w[offset + i] * (uniqueDepth + 1) / (zeroFraction * (uniqueDepth - i));
            }
        }
        for (int i = pathIndex; i < uniqueDepth; i++) {
            ws.feature[offset + i] = ws.feature[offset + i + 1];
            ws.zero[offset + i] = ws.zero[offset + i + 1];
            ws.one[offset + i] = ws.one[offset + i + 1];
        }
    }

    private static double unwoundPathSum(Workspace ws, int offset, int uniqueDepth, int pathIndex) {
        double[] w = ws.weight;
        double oneFraction = ws.one[offset + pathIndex];
        double zeroFraction = ws.zero[offset + pathIndex];
        double nextOnePortion = w[offset + uniqueDepth];
        double total = 0.0;
        for (int i = uniqueDepth - 1; i >= 0; i--) {
            if (oneFraction != 0) {
                double tmp = nextOnePortion * (uniqueDepth + 1) / ((i + 1) * oneFraction);
                total += tmp;
                nextOnePortion = w[offset + i] - tmp * zeroFraction * ((uniqueDepth - i) / (double) (uniqueDepth + 1));
            } else if (zeroFraction != 0) {
                total += (w[offset + i] / zeroFraction) / ((uniqueDepth - i) / (double) (uniqueDepth + 1));
            }
        }
        return total;
    }

    /** Per-thread scratch space: the stack of unique paths of the recursion, in flat arrays. */
    public static final class Workspace {
        private final int capacity;
        private final int[] feature;
        private final double[] zero;
        private final double[] one;
        private final double[] weight;
        private final int[] pattern;

        private Workspace(int maxDepth, int positions) {
            this.pattern = new int[positions];
            this.capacity = size(maxDepth);
            this.feature = new int[capacity];
            this.zero = new double[capacity];
            this.one = new double[capacity];
            this.weight = new double[capacity];
        }

        /** Paths of length 1..depth+2 stacked, plus the root's empty parent slot. */
        static int size(int maxDepth) {
            int d = maxDepth + 2;
            return d * (d + 1) / 2 + d + 1;
        }
    }
}
