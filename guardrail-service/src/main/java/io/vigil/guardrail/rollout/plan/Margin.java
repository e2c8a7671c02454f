package io.vigil.guardrail.rollout.plan;

import io.vigil.guardrail.evaluation.GuardrailMetric;

/**
 * A non-inferiority margin as written in a plan, always with its unit: {@code 0.5pp} (percentage points of a rate),
 * {@code 50bp} (basis points of a rate), {@code 5ms} or {@code 0.01s} (latency). {@link #inMetricUnits()} is what the
 * evaluator compares with: a fraction for rates (0.5pp = 0.005), milliseconds for latency.
 */
public record Margin(double value, Unit unit) {

    public enum Unit {
        PP(0.01, "pp"), BP(0.0001, "bp"), MS(1, "ms"), S(1000, "s");

        private final double factor;
        private final String symbol;

        Unit(double factor, String symbol) {
            this.factor = factor;
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        boolean fits(GuardrailMetric metric) {
            boolean latency = metric.statistic() == GuardrailMetric.Statistic.QUANTILE;
            return latency == (this == MS || this == S);
        }
    }

    /** @throws IllegalArgumentException saying what is wrong, in words fit for a problem body */
    public static Margin parse(String text, GuardrailMetric metric) {
        String t = text.strip();
        String units = metric.statistic() == GuardrailMetric.Statistic.QUANTILE ? "ms or s" : "pp or bp";
        Unit unit = null;
        int cut = t.length();
        for (Unit u : Unit.values()) {
            // "ms" before "s": the longest symbol that ends the text wins.
            if (t.endsWith(u.symbol) && (unit == null || u.symbol.length() > unit.symbol.length())) {
                unit = u;
                cut = t.length() - u.symbol.length();
            }
        }
        if (unit == null) {
            throw new IllegalArgumentException("'" + text + "' has no unit; write it with one (" + units + " for "
                    + metric + "), e.g. " + (units.startsWith("pp") ? "0.5pp" : "5ms"));
        }
        if (!unit.fits(metric)) {
            throw new IllegalArgumentException("unit '" + unit.symbol + "' does not fit " + metric + " (use " + units
                    + ")");
        }
        double value;
        try {
            value = Double.parseDouble(t.substring(0, cut).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number followed by a unit");
        }
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("must be a finite number >= 0, got '" + text + "'");
        }
        return new Margin(value, unit);
    }

    public double inMetricUnits() {
        return value * unit.factor;
    }

    @Override
    public String toString() {
        return (value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value)) + unit.symbol;
    }
}
