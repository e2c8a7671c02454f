package io.vigil.guardrail.monitor;

/**
 * The rate a monitor expects in one hour of event time, and where it came from.
 *
 * <ul>
 *   <li>{@link Source#SEASONAL}: the same hour of the week in the last {@code weeks} weeks, their median rate
 *       ({@link SeasonalBaseline}): at least 3 of them must have had traffic, so one bad week is outvoted.</li>
 *   <li>{@link Source#TRAILING} (stated fallback while history is shorter): the pooled rate of the trailing hours
 *       before the hour judged (the hour itself and the one before are left out, so a change that has just begun
 *       is not yet part of what it is compared with). It follows a change that lasts longer than the gap, and knows
 *       nothing of the hour of the week: an evidence reader is told which one was used.</li>
 *   <li>{@link Source#NONE}: neither has {@code minimumExposure} behind it; the monitor holds (no statistic).</li>
 * </ul>
 * A rate of exactly 0 or 1 cannot be a baseline for a likelihood ratio; it is moved half an event in from the edge
 * of the exposure behind it (a cohort that never fell back still alarms on a burst of fallbacks, not on the first).
 *
 * <p><b>The baseline is itself an estimate.</b> The detector's false-alarm bound holds for the true baseline; judged
 * against an estimate a little too low, a quiet cohort drifts to a page (measured: 33 of 200 A/A days paged falsely
 * with point estimates from 4 simulated weeks, mostly small cohorts of rare events, against 5% allowed). So the
 * detector is given {@link #rate()}, the upper end of a Wilson interval (z = {@link #GUARD_Z}) around the estimate
 * over the exposure behind it, counted at the median's efficiency (2 / pi) for a seasonal median: a baseline only
 * ever errs high, which costs detection time, never false pages. {@link #estimate()} is what is shown.
 *
 * @param estimate the baseline rate estimated (the median of the weeks, or the trailing pooled rate)
 * @param rate what the detector compares with: the estimate's upper Wilson bound
 */
public record MonitorBaseline(double estimate, double rate, Source source, int weeks, long exposure) {

    /**
     * z of the guard: the baseline's one-sided 84% upper bound. Measured (CohortMonitorSimulationTest, 56 monitors,
     * 200 A/A days): z = 0 (point estimates) 33 days with a false page, z = 1 3 days, z = 2 none; seed 000's cohort
     * paged after a median of 19 min at z = 1 and 29 min at z = 2. z = 1 keeps the family within its 5%.
     */
    public static final double GUARD_Z = 1.0;

    public enum Source {
        SEASONAL, TRAILING, NONE
    }

    public static final MonitorBaseline NONE = new MonitorBaseline(Double.NaN, Double.NaN, Source.NONE, 0, 0);

    /** A baseline of {@code estimate} over {@code effectiveExposure} trials, with its guarded rate. */
    static MonitorBaseline guarded(double estimate, double effectiveExposure, Source source, int weeks,
            long exposure) {
        double p = inside(estimate, exposure);
        double n = Math.max(1, effectiveExposure);
        double z2 = GUARD_Z * GUARD_Z;
        double upper = (p + z2 / (2 * n) + GUARD_Z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))) / (1 + z2 / n);
        return new MonitorBaseline(p, Math.min(upper, 1 - 0.5 / Math.max(1, exposure)), source, weeks, exposure);
    }

    public boolean known() {
        return source != Source.NONE;
    }

    /**
     * @param epochHour the hour judged
     * @param weeks how many past weeks the seasonal baseline looks at (at least {@link SeasonalBaseline#MINIMUM_WEEKS})
     * @param trailingHours the fallback's window, ending two hours before the hour judged
     * @param minimumExposure the least exposure a week's hour (seasonal) or the trailing window must have had
     */
    public static MonitorBaseline of(long epochHour, HourCounts.History history, int weeks, int trailingHours,
            long minimumExposure) {
        long[] events = new long[weeks];
        long[] trials = new long[weeks];
        long total = 0;
        int usable = 0;
        for (int w = 1; w <= weeks; w++) {
            HourCounts c = history.at(epochHour - 168L * w);
            if (c.exposure() >= minimumExposure) {
                events[w - 1] = Math.min(c.badEvents(), c.exposure());
                trials[w - 1] = c.exposure();
                total += c.exposure();
                usable++;
            }
        }
        if (usable >= SeasonalBaseline.MINIMUM_WEEKS) {
            double rate = SeasonalBaseline.rate(events, trials);
            return guarded(rate, total * 2 / Math.PI, Source.SEASONAL, usable, total);
        }
        long n = 0;
        long x = 0;
        for (long h = epochHour - 2 - trailingHours + 1; h <= epochHour - 2; h++) {
            HourCounts c = history.at(h);
            n += c.exposure();
            x += Math.min(c.badEvents(), c.exposure());
        }
        if (n >= minimumExposure && n > 0) {
            return guarded((double) x / n, n, Source.TRAILING, 0, n);
        }
        return NONE;
    }

    private static double inside(double rate, long exposure) {
        double edge = 0.5 / Math.max(1, exposure);
        return Math.min(Math.max(rate, edge), 1 - edge);
    }

    /**
     * The band a rate over {@code exposure} trials falls in about 99.7% of the time if the baseline holds: estimate
     * +- 3 binomial standard errors, clipped to [0, 1]. For the chart and the list, not for alarming (the detector
     * decides that).
     */
    public double[] band(long exposure) {
        if (!known() || exposure <= 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double half = 3 * Math.sqrt(estimate * (1 - estimate) / exposure);
        return new double[] {Math.max(0, estimate - half), Math.min(1, estimate + half)};
    }
}
