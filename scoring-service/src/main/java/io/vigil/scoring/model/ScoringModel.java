package io.vigil.scoring.model;

import java.util.List;

import io.vigil.riskmodel.catalog.FeatureCatalog;
import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.riskmodel.explain.ReasonCodes;
import io.vigil.riskmodel.explain.TreeShap;
import io.vigil.riskmodel.model.FeatureImportance;
import io.vigil.riskmodel.model.TreeEnsemble;
import io.vigil.scoring.features.FeatureVector;

/**
 * A loaded model version, ready for the hot path: the ensemble, its explainer, and the mapping from the canonical
 * feature order to the model's own. Immutable and shared; per-thread scratch space for explanations is kept here.
 * Not final only so a test can stand in a model whose evaluation fails (the MODEL_ERROR path).
 */
public class ScoringModel {

    private final String version;
    private final TreeEnsemble ensemble;
    private final TreeShap shap;
    private final ReasonCodes reasons;
    /** Model position i takes canonical feature canonical[i] (-1: the contract does not have it, always missing). */
    private final int[] canonical;
    private final boolean identity;
    private final String[] codes;
    private final ThreadLocal<Scratch> scratch;
    private final int[] keyFeatures;
    private final long estimatedBytes;

    public ScoringModel(String version, TreeEnsemble ensemble) {
        this.version = version;
        this.ensemble = ensemble;
        this.shap = new TreeShap(ensemble);
        List<String> names = ensemble.featureNames();
        this.reasons = new ReasonCodes(names, FeatureCatalog.standard());
        this.canonical = new int[names.size()];
        this.codes = new String[names.size()];
        boolean same = names.size() == FeatureVector.WIDTH;
        for (int i = 0; i < names.size(); i++) {
            int c = -1;
            for (PaymentFeature f : PaymentFeature.values()) {
                if (f.featureName().equals(names.get(i))) {
                    c = f.ordinal();
                    codes[i] = f.name();
                }
            }
            if (codes[i] == null) {
                codes[i] = names.get(i).toUpperCase(java.util.Locale.ROOT);
            }
            canonical[i] = c;
            same &= c == i;
        }
        this.identity = same;
        // Canonical indexes of the features the model depends on most, most first (coverage rule).
        this.keyFeatures = java.util.Arrays.stream(FeatureImportance.ranking(ensemble)).map(i -> canonical[i])
                .filter(c -> c >= 0).toArray();
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(names.size(), shap));
        this.estimatedBytes = estimate(ensemble);
    }

    /**
     * Estimated heap this model holds once loaded, to bound the line-up's memory: per node the ensemble's arrays
     * (feature, value, child, missing child: 16 bytes; cover: 8) and the explainer's layout (7 ints: 28 bytes), plus
     * the explainer's per-leaf tables, d * 2^d doubles for a leaf with d distinct features on its path (the part that
     * reaches tens of MB for deep models). Tables over the explainer's own limit (4 million entries) are not built.
     */
    public long estimatedBytes() {
        return estimatedBytes;
    }

    private static long estimate(TreeEnsemble ensemble) {
        long[] nodesAndEntries = new long[2];
        for (int t = 0; t < ensemble.treeCount(); t++) {
            walk(ensemble, ensemble.root(t), new java.util.HashSet<>(), nodesAndEntries);
        }
        long tables = nodesAndEntries[1] > 4_000_000L ? 0 : nodesAndEntries[1] * 8;
        return nodesAndEntries[0] * (24 + 28) + tables;
    }

    private static void walk(TreeEnsemble e, int node, java.util.Set<Integer> path, long[] acc) {
        acc[0]++;
        int f = e.splitFeature(node);
        if (f < 0) {
            int d = path.size();
            acc[1] += (long) d << Math.min(d, 40);
            return;
        }
        boolean added = path.add(f);
        walk(e, e.leftChild(node), path, acc);
        walk(e, e.rightChild(node), path, acc);
        if (added) {
            path.remove(f);
        }
    }

    /**
     * Canonical ({@code PaymentFeature}) indexes of the contract features this model depends on most, most first, by
     * the model's own total cover ({@link FeatureImportance}); features it never splits on are left out. Do not modify.
     */
    public int[] keyFeatures() {
        return keyFeatures;
    }

    public String version() {
        return version;
    }

    public TreeEnsemble ensemble() {
        return ensemble;
    }

    /** The model's input for a canonical vector: the vector itself when the orders agree (the usual case). */
    public float[] input(float[] canonicalValues) {
        if (identity) {
            return canonicalValues;
        }
        float[] x = scratch.get().x;
        for (int i = 0; i < canonical.length; i++) {
            x[i] = canonical[i] < 0 ? Float.NaN : canonicalValues[canonical[i]];
        }
        return x;
    }

    public double score(float[] canonicalValues) {
        return ensemble.score(input(canonicalValues));
    }

    /**
     * The up to {@code out.length} features that pushed this row furthest toward fraud. Writes model feature indices
     * into {@code out} and their contributions into {@code contributions}; returns how many.
     */
    public int explain(float[] canonicalValues, int[] out, double[] contributions) {
        Scratch s = scratch.get();
        float[] x = input(canonicalValues);
        shap.contributions(x, s.phi, s.workspace);
        // A missing feature can carry SHAP weight (its default branch differs from the average), but "prepaid card"
        // is no reason to give a customer when nobody said the card was prepaid: reasons name known facts only.
        for (int i = 0; i < x.length; i++) {
            if (x[i] != x[i]) {
                s.phi[i] = 0.0;
            }
        }
        int n = reasons.topIndices(s.phi, out);
        for (int i = 0; i < n; i++) {
            contributions[i] = s.phi[out[i]];
        }
        return n;
    }

    public String featureName(int modelIndex) {
        return reasons.featureName(modelIndex);
    }

    /** Stable reason code of a feature: the contract's constant name, e.g. ACCOUNT_AGE_DAYS. */
    public String reasonCode(int modelIndex) {
        return codes[modelIndex];
    }

    private static final class Scratch {
        final float[] x;
        final double[] phi;
        final TreeShap.Workspace workspace;

        Scratch(int width, TreeShap shap) {
            x = new float[width];
            phi = new double[width + 1];
            workspace = shap.newWorkspace();
        }
    }
}
