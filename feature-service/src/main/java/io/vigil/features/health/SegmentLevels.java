package io.vigil.features.health;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.vigil.contracts.scoring.v1.Channel;
import io.vigil.features.contract.FeatureContract;
import io.vigil.features.contract.FeatureSet;

/**
 * The segment values feature health tracks, per cohort attribute: the levels the contract declares (country, region,
 * customer_age_band, login_method are enum features of the ingest feature set; channel is the checkout's
 * {@code vigil.scoring.v1.Channel}). A producer's free-form value outside them (a typo, "Canada", a per-request id)
 * folds into {@link #OTHER}, so the number of segments and of their gauges is bounded by the contract, never by what
 * producers send. Immutable.
 */
public final class SegmentLevels {

    /** The segment value every undeclared value folds into. */
    public static final String OTHER = "other";

    private final List<Set<String>> levels;

    private SegmentLevels(List<Set<String>> levels) {
        this.levels = levels;
    }

    /** The levels of the feature set's attribute features; an attribute the set does not declare has none. */
    public static SegmentLevels of(FeatureSet featureSet) {
        List<Set<String>> levels = new ArrayList<>();
        for (String attribute : Segment.ATTRIBUTES) {
            Set<String> allowed = new HashSet<>();
            if ("channel".equals(attribute)) {
                for (Channel c : Channel.values()) {
                    if (c != Channel.UNRECOGNIZED && c != Channel.CHANNEL_UNSPECIFIED) {
                        allowed.add(c.name().substring("CHANNEL_".length()).toLowerCase(java.util.Locale.ROOT));
                    }
                }
            } else if (featureSet != null) {
                featureSet.feature(attribute).map(FeatureContract::allowedValues).ifPresent(allowed::addAll);
            }
            levels.add(Set.copyOf(allowed));
        }
        return new SegmentLevels(List.copyOf(levels));
    }

    /** The value itself when attribute {@code index} declares it, null when unknown, else {@link #OTHER}. */
    public String fold(int index, String value) {
        if (value == null) {
            return null;
        }
        return levels.get(index).contains(value) ? value : OTHER;
    }

    /** The most segments one feature can have: the whole population, each level and "other" per attribute. */
    public int maxSegments() {
        int n = 1;
        for (Set<String> l : levels) {
            n += l.size() + 1;
        }
        return n;
    }
}
