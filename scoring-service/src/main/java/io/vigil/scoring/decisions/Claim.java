package io.vigil.scoring.decisions;

import io.vigil.contracts.events.v1.IdempotencyCheck;

/**
 * What the claim for a transaction id came back with: the decision that stands ({@code mine} itself when this call won
 * or could not check, the winner's when another call or replica decided first) and how far it was checked.
 */
public record Claim(StoredDecision standing, IdempotencyCheck check) {

    /** True when another call's decision stands and must be answered (or refused, for a different payload). */
    public boolean lostTo(StoredDecision mine) {
        return standing != mine;
    }

    public boolean verified() {
        return check == IdempotencyCheck.IDEMPOTENCY_CHECK_CLAIMED;
    }
}
