package io.vigil.features.contract;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The contract of one feature: what a value must look like to be served, and which values mean "unknown".
 *
 * @param name feature name, unique in its set
 * @param entity the entity it describes
 * @param type value type
 * @param unit unit of measure ("days", "USD"); empty for unit-less types
 * @param range allowed numeric range; {@link Range#UNBOUNDED} for non-numeric types
 * @param allowedValues the levels of an enum feature; empty otherwise
 * @param nullable whether null is a valid value (otherwise null is rejected)
 * @param freshness how old (by event time) a value may be before it is served as STALE
 * @param owner the team answerable for the feature
 * @param description what it means
 * @param sentinels canonical values (Double, Long, Boolean or String) that mean "unknown": stored, flagged, served
 *        as DEFAULTED
 * @param sources the producers that may send it; empty means any producer
 */
public record FeatureContract(String name, EntityKind entity, FeatureType type, String unit, Range range,
        List<String> allowedValues, boolean nullable, Duration freshness, String owner, String description,
        List<Object> sentinels, List<String> sources) {

    public FeatureContract {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(type, "type");
        unit = unit == null ? "" : unit;
        range = range == null ? Range.UNBOUNDED : range;
        allowedValues = List.copyOf(allowedValues == null ? List.of() : allowedValues);
        Objects.requireNonNull(freshness, "freshness");
        owner = owner == null ? "" : owner;
        description = description == null ? "" : description;
        sentinels = List.copyOf(sentinels == null ? List.of() : sentinels);
        sources = List.copyOf(sources == null ? List.of() : sources);
    }

    public boolean isSentinel(Object canonicalValue) {
        return canonicalValue != null && sentinels.contains(canonicalValue);
    }

    /**
     * A numeric range; a null bound is open.
     */
    public record Range(Double min, Double max, boolean minExclusive, boolean maxExclusive) {

        public static final Range UNBOUNDED = new Range(null, null, false, false);

        public boolean contains(double v) {
            if (min != null && (minExclusive ? v <= min : v < min)) {
                return false;
            }
            return max == null || (maxExclusive ? v < max : v <= max);
        }

        public boolean bounded() {
            return min != null || max != null;
        }

        @Override
        public String toString() {
            return (min == null ? "(-inf" : (minExclusive ? "(" : "[") + fmt(min)) + ", "
                    + (max == null ? "+inf)" : fmt(max) + (maxExclusive ? ")" : "]"));
        }

        private static String fmt(double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        }
    }
}
