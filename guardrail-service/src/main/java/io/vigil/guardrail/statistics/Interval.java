package io.vigil.guardrail.statistics;

/**
 * A closed interval of plausible values for an unknown quantity. The bounds may be infinite: a confidence sequence
 * that has seen too little data says so with {@code (-inf, +inf)} rather than with a made-up width.
 */
public record Interval(double lower, double upper) {

    public static final Interval EVERYTHING = new Interval(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

    public Interval {
        if (Double.isNaN(lower) || Double.isNaN(upper) || lower > upper) {
            throw new IllegalArgumentException("not an interval: [" + lower + ", " + upper + "]");
        }
    }

    /** Four significant digits: verdict reasons quote intervals to operators ("harm [0.01073, 0.2115]"). */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "[%.4g, %.4g]", lower, upper);
    }

    public boolean contains(double value) {
        return lower <= value && value <= upper;
    }

    public boolean isBounded() {
        return Double.isFinite(lower) && Double.isFinite(upper);
    }

    public double width() {
        return upper - lower;
    }

    /**
     * The interval of {@code x - y} for every x in this interval and y in {@code other}: if each interval holds its
     * quantity, this one holds the difference (interval arithmetic, no independence assumed).
     */
    public Interval minus(Interval other) {
        return new Interval(lower - other.upper, upper - other.lower);
    }
}
