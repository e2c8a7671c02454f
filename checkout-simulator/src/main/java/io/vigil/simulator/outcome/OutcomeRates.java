package io.vigil.simulator.outcome;

import java.util.Arrays;
import java.util.Map;

/** The value of every {@link OutcomeParameter}: the defaults with a scenario's overrides. Immutable. */
public final class OutcomeRates {

    private final double[] values;

    private OutcomeRates(double[] values) {
        this.values = values;
    }

    public static OutcomeRates defaults() {
        return with(Map.of());
    }

    public static OutcomeRates with(Map<OutcomeParameter, Double> overrides) {
        double[] v = new double[OutcomeParameter.values().length];
        for (OutcomeParameter p : OutcomeParameter.values()) {
            v[p.ordinal()] = overrides.getOrDefault(p, p.defaultValue());
        }
        if (v[OutcomeParameter.CHARGEBACK_DELAY_MIN_DAYS.ordinal()] >= v[OutcomeParameter.CHARGEBACK_DELAY_MAX_DAYS.ordinal()]) {
            throw new IllegalArgumentException("chargeback_delay_min_days must be below chargeback_delay_max_days");
        }
        return new OutcomeRates(v);
    }

    public double get(OutcomeParameter p) {
        return values[p.ordinal()];
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
