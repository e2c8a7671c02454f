package io.vigil.riskmodel.population;

/** What happens when a checkout is challenged (3-D Secure, one-time code): genuine customers mostly pass. */
public enum StepUpOutcome {
    PASSED, FAILED, ABANDONED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
