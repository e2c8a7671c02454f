package io.vigil.scoring.decisions;

import io.vigil.contracts.scoring.v1.ScoreRequest;

/**
 * 64-bit fingerprint of a request's payload, to tell a retry (same bytes) from a reused transaction id (different
 * bytes). Protobuf's Java serialisation of equal messages is deterministic, which is all a retry needs.
 */
public final class RequestFingerprint {

    private RequestFingerprint() {
    }

    public static long of(ScoreRequest r) {
        byte[] bytes = r.toByteArray();
        long h = 0xCBF29CE484222325L;
        for (byte b : bytes) {
            h ^= b & 0xFF;
            h *= 0x100000001B3L;
        }
        // FNV-1a mixes its last bytes weakly; a final avalanche spreads them.
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }
}
