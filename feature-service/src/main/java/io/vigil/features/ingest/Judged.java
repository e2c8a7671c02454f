package io.vigil.features.ingest;

import java.util.List;

import io.vigil.features.contract.FeatureContract;
import io.vigil.features.contract.Verdict;

/**
 * An update after judgement against the ingest feature set.
 *
 * @param update the update
 * @param featureSet the set version that judged it ({@code name@version})
 * @param values every field that has a contract, with its verdict
 * @param drift schema drift found in it
 */
public record Judged(FeatureUpdate update, String featureSet, List<Value> values, List<Drift> drift) {

    /** A field with a contract: its raw value and verdict. */
    public record Value(FeatureContract contract, Object raw, Verdict verdict) {
    }

    /** One schema drift finding, producer named. */
    public record Drift(String producer, String entityType, String field, DriftKind kind, String detail) {
    }

    public long count(Verdict.Outcome outcome) {
        return values.stream().filter(v -> v.verdict().outcome() == outcome).count();
    }
}
