package io.vigil.incident.incident;

/** SEV1 is the worst. The impact table (io.vigil.incident.severity) maps measured impact to one of these. */
public enum Severity {
    SEV1,
    SEV2,
    SEV3,
    SEV4;

    /** True when this level is worse (more urgent) than the other. */
    public boolean worseThan(Severity other) {
        return ordinal() < other.ordinal();
    }

    public static Severity worst(Severity a, Severity b) {
        return a.worseThan(b) ? a : b;
    }
}
