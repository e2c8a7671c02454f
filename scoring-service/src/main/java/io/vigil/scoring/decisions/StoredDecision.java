package io.vigil.scoring.decisions;

import io.vigil.contracts.scoring.v1.ScoreResponse;

/** A decision as answered, with the fingerprint of the request it answered. */
public record StoredDecision(long fingerprint, ScoreResponse response) {

    /** "No earlier decision": Mutiny items are better not null. */
    public static final StoredDecision NONE = new StoredDecision(0L, null);

    public boolean exists() {
        return response != null;
    }
}
