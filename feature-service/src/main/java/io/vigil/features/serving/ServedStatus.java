package io.vigil.features.serving;

import java.time.Instant;

import io.vigil.contracts.features.v1.FeatureStatus;
import io.vigil.features.contract.ContractValidator;
import io.vigil.features.contract.FeatureContract;
import io.vigil.features.contract.RawValues;
import io.vigil.features.contract.Verdict;
import io.vigil.features.ingest.FeatureStore.StoredValue;

/**
 * The status of a stored value served in a feature set version's terms. Precedence: MISSING (nothing stored, or a
 * stored null), VIOLATION (the value breaks the serving version's contract: never served), DEFAULTED (a sentinel of the
 * serving version, or flagged at ingest), STALE (event time older than the freshness limit), OK.
 */
public final class ServedStatus {

    private ServedStatus() {
    }

    /** A status with the value to serve (null when none is served). */
    public record Served(FeatureStatus status, Object value) {
    }

    private static final Served MISSING = new Served(FeatureStatus.FEATURE_STATUS_MISSING, null);
    private static final Served VIOLATION = new Served(FeatureStatus.FEATURE_STATUS_VIOLATION, null);

    public static Served of(FeatureContract c, StoredValue stored, Instant now) {
        if (stored == null || stored.value() == null) {
            return MISSING;
        }
        Object v = stored.valueType() == c.type() ? stored.value() : RawValues.canonical(stored.value(), c.type());
        if (v == null) {
            return VIOLATION;
        }
        Verdict.Reason conformance = ContractValidator.conformance(c, v);
        if (conformance == Verdict.Reason.OUT_OF_RANGE || conformance == Verdict.Reason.VALUE_NOT_ALLOWED) {
            return VIOLATION;
        }
        if (conformance == Verdict.Reason.SENTINEL || stored.flagged()) {
            return new Served(FeatureStatus.FEATURE_STATUS_DEFAULTED, v);
        }
        // compared in epoch seconds: no Instant is built per served value
        if (now.getEpochSecond() - stored.eventTime().getEpochSecond() > c.freshness().getSeconds()) {
            return new Served(FeatureStatus.FEATURE_STATUS_STALE, v);
        }
        return new Served(FeatureStatus.FEATURE_STATUS_OK, v);
    }
}
