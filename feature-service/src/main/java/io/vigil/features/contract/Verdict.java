package io.vigil.features.contract;

/**
 * The judgement of one value against its contract.
 *
 * @param outcome ACCEPT, FLAG (stored but marked) or REJECT (quarantined, never served)
 * @param reason why, for FLAG and REJECT; one of the {@link Reason}s
 * @param value the value in the contract's canonical type (null when rejected or null)
 * @param detail a human-readable explanation naming the feature; empty for a plain ACCEPT
 */
public record Verdict(Outcome outcome, Reason reason, Object value, String detail) {

    public enum Outcome {
        ACCEPT, FLAG, REJECT
    }

    public enum Reason {
        NONE,
        /** A nullable feature's null: stored as is. */
        NULL,
        /** A sentinel/default value that means "unknown". */
        SENTINEL,
        /** The producer is not one of the feature's declared sources. */
        UNDECLARED_SOURCE,
        /** Null for a feature that is not nullable. */
        NULL_NOT_ALLOWED,
        /** The value's type is not the contract's (a schema change upstream). */
        TYPE_MISMATCH,
        /** Outside the contract's range, or not finite. */
        OUT_OF_RANGE,
        /** Not one of an enum's allowed values. */
        VALUE_NOT_ALLOWED
    }

    public boolean stored() {
        return outcome != Outcome.REJECT;
    }
}
