package io.vigil.features.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.vigil.features.contract.ContractValidator;
import io.vigil.features.contract.FeatureContract;
import io.vigil.features.contract.FeatureSet;
import io.vigil.features.contract.RawValues;
import io.vigil.features.contract.Verdict;

/**
 * Judges an update against a feature set: a verdict per known field, and schema drift for unknown fields, retyped
 * values and features the producer is a declared source of but did not send. Pure: no I/O.
 */
public final class UpdateJudge {

    private UpdateJudge() {
    }

    public static Judged judge(FeatureSet set, FeatureUpdate u) {
        List<Judged.Value> values = new ArrayList<>(u.fields().size());
        List<Judged.Drift> drift = new ArrayList<>(0);
        String entityType = u.entity().name();
        for (Map.Entry<String, Object> field : u.fields().entrySet()) {
            FeatureContract c = set.feature(field.getKey()).orElse(null);
            if (c == null || c.entity() != u.entity()) {
                drift.add(new Judged.Drift(u.producer(), entityType, field.getKey(), DriftKind.UNKNOWN_FIELD,
                        c == null
                                ? "field '" + field.getKey() + "' is not in " + set.id()
                                : "field '" + field.getKey() + "' is a " + c.entity().yamlName() + " feature in " + set.id()
                                        + ", sent for a " + u.entity().yamlName()));
                continue;
            }
            Verdict v = ContractValidator.judge(c, field.getValue(), u.producer());
            if (v.reason() == Verdict.Reason.TYPE_MISMATCH) {
                drift.add(new Judged.Drift(u.producer(), entityType, c.name(), DriftKind.TYPE_CHANGED,
                        "'" + c.name() + "' arrived as " + RawValues.typeOf(field.getValue()) + ", contract "
                                + set.id() + " says " + c.type().yamlName()));
            }
            values.add(new Judged.Value(c, field.getValue(), v));
        }
        for (FeatureContract c : set.featuresOf(u.entity())) {
            if (c.sources().contains(u.producer()) && !u.fields().containsKey(c.name())) {
                drift.add(new Judged.Drift(u.producer(), entityType, c.name(), DriftKind.MISSING_FIELD,
                        "'" + c.name() + "' missing from an update of its declared source " + u.producer()));
            }
        }
        return new Judged(u, set.id(), values, drift);
    }
}
