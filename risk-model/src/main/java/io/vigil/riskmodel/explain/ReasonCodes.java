package io.vigil.riskmodel.explain;

import io.vigil.riskmodel.catalog.FeatureCatalog;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns TreeSHAP contributions into reason codes: the features that pushed the score furthest toward fraud, strongest
 * first, with their readable reasons. Features that pushed toward genuine never appear: a decline is explained by what
 * made it risky. Immutable; the feature names are resolved once.
 */
public final class ReasonCodes {

    private final List<String> featureNames;
    private final String[] descriptions;

    public ReasonCodes(List<String> featureNames, FeatureCatalog catalog) {
        this.featureNames = List.copyOf(featureNames);
        this.descriptions = featureNames.stream().map(catalog::reason).toArray(String[]::new);
    }

    /**
     * Writes the indices of the up to {@code out.length} features with the largest positive contributions into
     * {@code out}, strongest first, and returns how many there are. Allocates nothing; ties keep feature order.
     */
    public int topIndices(double[] contributions, int[] out) {
        int k = out.length;
        int found = 0;
        for (int f = 0; f < featureNames.size(); f++) {
            double c = contributions[f];
            if (!(c > 0.0)) {
                continue;
            }
            int pos = found < k ? found : k;
            if (pos == k && !(c > contributions[out[k - 1]])) {
                continue;
            }
            while (pos > 0 && c > contributions[out[pos - 1]]) {
                if (pos < k) {
                    out[pos] = out[pos - 1];
                }
                pos--;
            }
            out[pos] = f;
            if (found < k) {
                found++;
            }
        }
        return found;
    }

    /** The top-k reasons toward fraud. */
    public List<Reason> top(double[] contributions, int k) {
        if (k <= 0) {
            return List.of();
        }
        int[] idx = new int[k];
        int n = topIndices(contributions, idx);
        List<Reason> reasons = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int f = idx[i];
            reasons.add(new Reason(featureNames.get(f), contributions[f], descriptions[f]));
        }
        return reasons;
    }

    public String featureName(int index) {
        return featureNames.get(index);
    }
}
