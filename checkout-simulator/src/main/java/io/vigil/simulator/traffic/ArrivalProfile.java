package io.vigil.simulator.traffic;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.SplittableRandom;

/**
 * When checkouts arrive: a non-homogeneous Poisson process whose rate follows the hour of day (night trough, evening
 * peak, the same shape as the population's hour weights) and the day of the week (weekends a little busier), scaled
 * so the average over a week is the configured mean. Arrivals are drawn by thinning (Lewis and Shedler): candidates
 * at the peak rate, each kept with probability rate(t) / peak.
 */
public final class ArrivalProfile {

    /** Relative traffic by UTC hour (0-23). */
    static final double[] HOUR = {1.2, 0.8, 0.5, 0.4, 0.4, 0.6, 1.2, 2.5, 3.8, 4.6, 5.2, 5.6, 6.0, 5.8, 5.4, 5.2, 5.3,
        5.6, 6.0, 6.4, 6.3, 5.5, 4.0, 2.4};
    /** Relative traffic by day, Monday first. */
    static final double[] DAY = {0.95, 0.95, 0.97, 1.0, 1.05, 1.1, 0.98};

    private final double[] factor = new double[24 * 7];
    private final double peakFactor;

    public ArrivalProfile() {
        double sum = 0;
        for (int d = 0; d < 7; d++) {
            for (int h = 0; h < 24; h++) {
                sum += DAY[d] * HOUR[h];
            }
        }
        double mean = sum / (24 * 7);
        double peak = 0;
        for (int d = 0; d < 7; d++) {
            for (int h = 0; h < 24; h++) {
                factor[d * 24 + h] = DAY[d] * HOUR[h] / mean;
                peak = Math.max(peak, factor[d * 24 + h]);
            }
        }
        this.peakFactor = peak;
    }

    /** Rate at {@code t} relative to the weekly mean (1.0 on average over a week). */
    public double factor(Instant t) {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC);
        DayOfWeek d = z.getDayOfWeek();
        return factor[(d.getValue() - 1) * 24 + z.getHour()];
    }

    public double peakFactor() {
        return peakFactor;
    }

    /**
     * The next arrival after {@code t}.
     *
     * @param meanPerSecond mean arrivals per simulated second (over a week)
     * @param multiplier    the scenario's traffic multiplier at this time
     */
    public Instant next(Instant t, double meanPerSecond, double multiplier, SplittableRandom rnd) {
        double peak = meanPerSecond * peakFactor * multiplier;
        Instant candidate = t;
        while (true) {
            double gapSeconds = -Math.log(1.0 - rnd.nextDouble()) / peak;
            candidate = candidate.plusNanos((long) (gapSeconds * 1e9));
            if (rnd.nextDouble() * peak <= meanPerSecond * factor(candidate) * multiplier) {
                return candidate;
            }
        }
    }
}
