package io.vigil.scoring.routing;

/**
 * Sticky champion/challenger assignment: an account always lands in the same bucket of a fixed hash, so a customer
 * sees one model for the whole experiment. The hash is MurmurHash3's 64-bit finaliser over the id's chars; it does not
 * depend on the JVM (unlike String.hashCode's distribution) and allocates nothing.
 */
public final class ArmAssignment {

    private final int buckets;

    public ArmAssignment(int buckets) {
        if (buckets <= 0) {
            throw new IllegalArgumentException("buckets must be positive, got " + buckets);
        }
        this.buckets = buckets;
    }

    /** The account's bucket in [0, buckets). */
    public int bucket(String accountId) {
        long h = 0x9E3779B97F4A7C15L ^ accountId.length();
        for (int i = 0; i < accountId.length(); i++) {
            h = fmix64(h ^ accountId.charAt(i)) * 0xC2B2AE3D27D4EB4FL;
        }
        h = fmix64(h);
        return (int) Long.remainderUnsigned(h, buckets);
    }

    /** True when the account belongs to the challenger's share (0..1) of traffic. */
    public boolean challenger(String accountId, double share) {
        return bucket(accountId) < share * buckets;
    }

    static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xFF51AFD7ED558CCDL;
        k ^= k >>> 33;
        k *= 0xC4CEB93FE1A85EC3L;
        k ^= k >>> 33;
        return k;
    }
}
