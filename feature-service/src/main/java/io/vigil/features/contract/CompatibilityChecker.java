package io.vigil.features.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares two versions of a feature set. A model trained on the older version must still be served correctly in the
 * newer one's terms, so: adding an optional (nullable) feature is fine; removing a feature, adding a required one, or
 * changing an existing feature's entity, type, unit, range, allowed values, sentinels or making it nullable is
 * breaking. Owner, description, sources and freshness changes are compatible (they change no value's meaning).
 */
public final class CompatibilityChecker {

    /** One difference between the versions; {@code breaking} ones fail {@code vigil features check}. */
    public record Change(String feature, String what, boolean breaking) {
        @Override
        public String toString() {
            return (breaking ? "BREAKING " : "ok       ") + (feature.isEmpty() ? "" : feature + ": ") + what;
        }
    }

    private CompatibilityChecker() {
    }

    public static List<Change> compare(FeatureSet older, FeatureSet newer) {
        List<Change> changes = new ArrayList<>();
        if (!older.name().equals(newer.name())) {
            changes.add(new Change("", "feature set renamed " + older.name() + " -> " + newer.name(), true));
            return changes;
        }
        Map<String, FeatureContract> next = newer.byName();
        for (FeatureContract o : older.features()) {
            FeatureContract n = next.get(o.name());
            if (n == null) {
                changes.add(new Change(o.name(), "removed", true));
                continue;
            }
            breakingIf(changes, o.name(), "entity", o.entity(), n.entity());
            breakingIf(changes, o.name(), "type", o.type(), n.type());
            breakingIf(changes, o.name(), "unit", o.unit(), n.unit());
            breakingIf(changes, o.name(), "range", o.range(), n.range());
            breakingIf(changes, o.name(), "values", o.allowedValues(), n.allowedValues());
            breakingIf(changes, o.name(), "sentinels", o.sentinels(), n.sentinels());
            if (o.nullable() != n.nullable()) {
                changes.add(new Change(o.name(), "nullable " + o.nullable() + " -> " + n.nullable(), n.nullable()));
            }
            compatibleIf(changes, o.name(), "freshness", o.freshness(), n.freshness());
            compatibleIf(changes, o.name(), "owner", o.owner(), n.owner());
            compatibleIf(changes, o.name(), "sources", o.sources(), n.sources());
            if (!o.description().equals(n.description())) {
                changes.add(new Change(o.name(), "description changed", false));
            }
        }
        Map<String, FeatureContract> prev = older.byName();
        for (FeatureContract n : newer.features()) {
            if (!prev.containsKey(n.name())) {
                changes.add(n.nullable()
                        ? new Change(n.name(), "added (optional)", false)
                        : new Change(n.name(), "added as required (not nullable): a model trained on v"
                                + older.version() + " never saw it and producers may not send it yet", true));
            }
        }
        return changes;
    }

    public static boolean breaking(List<Change> changes) {
        return changes.stream().anyMatch(Change::breaking);
    }

    private static void breakingIf(List<Change> out, String feature, String what, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add(new Change(feature, what + " " + a + " -> " + b, true));
        }
    }

    private static void compatibleIf(List<Change> out, String feature, String what, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add(new Change(feature, what + " " + a + " -> " + b, false));
        }
    }
}
