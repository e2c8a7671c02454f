package io.vigil.features.ingest;

/** How an upstream payload departed from the feature contract. */
public enum DriftKind {
    /** A field the ingest feature set does not define for the entity. */
    UNKNOWN_FIELD,
    /** A feature the producer is a declared source of, absent from its update. */
    MISSING_FIELD,
    /** A value of another type than the contract's (e.g. a double where a long is agreed). */
    TYPE_CHANGED
}
