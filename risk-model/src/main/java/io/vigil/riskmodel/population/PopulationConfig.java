package io.vigil.riskmodel.population;

import java.util.List;

/**
 * Everything that determines a synthetic population: the same config always yields the same rows.
 *
 * @param seed             data seed
 * @param startEpochSecond event time of the first day's midnight (UTC)
 * @param days             days the transactions spread over
 * @param riskShifts       cohorts with a changed fraud rate
 * @param defaultedFields  segments where an upstream field arrives defaulted
 * @param missingness      what the feature store lacks (first-time accounts, unseen devices and cards)
 */
public record PopulationConfig(long seed, long startEpochSecond, int days, List<CohortRiskShift> riskShifts,
        List<DefaultedField> defaultedFields, Missingness missingness) {

    /** 2025-01-01T00:00:00Z. */
    public static final long DEFAULT_START = 1_735_689_600L;

    public PopulationConfig {
        if (days <= 0) {
            throw new IllegalArgumentException("days must be positive");
        }
        riskShifts = List.copyOf(riskShifts);
        defaultedFields = List.copyOf(defaultedFields);
        if (missingness == null) {
            throw new IllegalArgumentException("missingness is required (Missingness.NONE for none)");
        }
    }

    /** A population with {@link Missingness#REALISTIC realistic} missingness. */
    public PopulationConfig(long seed, long startEpochSecond, int days, List<CohortRiskShift> riskShifts,
            List<DefaultedField> defaultedFields) {
        this(seed, startEpochSecond, days, riskShifts, defaultedFields, Missingness.REALISTIC);
    }

    /** The baseline population: no scenario injected, realistic missingness, 30 days from 2025-01-01. */
    public static PopulationConfig baseline(long seed) {
        return new PopulationConfig(seed, DEFAULT_START, 30, List.of(), List.of());
    }

    public PopulationConfig withRiskShift(CohortRiskShift shift) {
        List<CohortRiskShift> shifts = new java.util.ArrayList<>(riskShifts);
        shifts.add(shift);
        return new PopulationConfig(seed, startEpochSecond, days, shifts, defaultedFields, missingness);
    }

    public PopulationConfig withDefaultedField(DefaultedField field) {
        List<DefaultedField> fields = new java.util.ArrayList<>(defaultedFields);
        fields.add(field);
        return new PopulationConfig(seed, startEpochSecond, days, riskShifts, fields, missingness);
    }

    public PopulationConfig withMissingness(Missingness rates) {
        return new PopulationConfig(seed, startEpochSecond, days, riskShifts, defaultedFields, rates);
    }
}
