package io.vigil.features.contract;

/**
 * Judges a value against its feature contract: ACCEPT, FLAG (sentinel value, or sent by a producer that is not a
 * declared source) or REJECT (null where not allowed, wrong type, outside the range, not an allowed value).
 * Stateless and allocation-light: the ACCEPT path returns after a few comparisons.
 */
public final class ContractValidator {

    private ContractValidator() {
    }

    /**
     * @param producer who sent it; null when judging at serve time, where the source is no longer known
     */
    public static Verdict judge(FeatureContract c, Object raw, String producer) {
        if (raw == null) {
            return c.nullable()
                    ? new Verdict(Verdict.Outcome.ACCEPT, Verdict.Reason.NULL, null, "")
                    : new Verdict(Verdict.Outcome.REJECT, Verdict.Reason.NULL_NOT_ALLOWED, null,
                            c.name() + ": null is not allowed");
        }
        Object v = RawValues.canonical(raw, c.type());
        if (v == null) {
            return new Verdict(Verdict.Outcome.REJECT, Verdict.Reason.TYPE_MISMATCH, null,
                    c.name() + ": expected " + c.type().yamlName() + ", got " + RawValues.typeOf(raw));
        }
        // Sentinels are checked before the range and levels: an empty country is "unknown", not an invalid level.
        if (c.isSentinel(v)) {
            return new Verdict(Verdict.Outcome.FLAG, Verdict.Reason.SENTINEL, v,
                    c.name() + ": sentinel value " + display(v) + " means unknown");
        }
        if (v instanceof Double d) {
            if (!Double.isFinite(d) || !c.range().contains(d)) {
                return new Verdict(Verdict.Outcome.REJECT, Verdict.Reason.OUT_OF_RANGE, null,
                        c.name() + ": " + d + " outside " + c.range());
            }
        } else if (v instanceof Long l) {
            if (!c.range().contains(l.doubleValue())) {
                return new Verdict(Verdict.Outcome.REJECT, Verdict.Reason.OUT_OF_RANGE, null,
                        c.name() + ": " + l + " outside " + c.range());
            }
        } else if (c.type() == FeatureType.ENUM && !c.allowedValues().contains(v)) {
            return new Verdict(Verdict.Outcome.REJECT, Verdict.Reason.VALUE_NOT_ALLOWED, null,
                    c.name() + ": '" + v + "' is not one of " + c.allowedValues());
        }
        if (producer != null && !c.sources().isEmpty() && !c.sources().contains(producer)) {
            return new Verdict(Verdict.Outcome.FLAG, Verdict.Reason.UNDECLARED_SOURCE, v,
                    c.name() + ": producer '" + producer + "' is not a declared source " + c.sources());
        }
        return new Verdict(Verdict.Outcome.ACCEPT, Verdict.Reason.NONE, v, "");
    }

    /**
     * Conformance of a canonical value (already of the contract's type) without building a verdict: NONE, SENTINEL,
     * OUT_OF_RANGE or VALUE_NOT_ALLOWED. Allocates nothing, for the serving path.
     */
    public static Verdict.Reason conformance(FeatureContract c, Object v) {
        if (c.isSentinel(v)) {
            return Verdict.Reason.SENTINEL;
        }
        if (v instanceof Double d) {
            return Double.isFinite(d) && c.range().contains(d) ? Verdict.Reason.NONE : Verdict.Reason.OUT_OF_RANGE;
        }
        if (v instanceof Long l) {
            return c.range().contains(l.doubleValue()) ? Verdict.Reason.NONE : Verdict.Reason.OUT_OF_RANGE;
        }
        if (c.type() == FeatureType.ENUM && !c.allowedValues().contains(v)) {
            return Verdict.Reason.VALUE_NOT_ALLOWED;
        }
        return Verdict.Reason.NONE;
    }

    private static String display(Object v) {
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }
}
