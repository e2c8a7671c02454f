package io.vigil.guardrail.monitor;

import java.util.Arrays;

/**
 * A cohort's expected rate for one hour of the week, from the same hour in several past weeks: the median of the
 * weekly rates, so one bad week (an incident, a holiday) does not move it, where a pooled rate would follow it.
 */
public final class SeasonalBaseline {

    /** Fewer weeks than this and the median cannot outvote one bad week. */
    public static final int MINIMUM_WEEKS = 3;

    private SeasonalBaseline() {
    }

    /**
     * The median of events[w] / trials[w] over the weeks that had traffic, or NaN ("no baseline yet") when fewer than
     * {@link #MINIMUM_WEEKS} did: a monitor without a baseline holds its verdict rather than alarm on a guess.
     */
    public static double rate(long[] events, long[] trials) {
        if (events.length != trials.length) {
            throw new IllegalArgumentException(events.length + " weeks of events but " + trials.length + " of trials");
        }
        double[] rates = new double[events.length];
        int weeks = 0;
        for (int w = 0; w < events.length; w++) {
            if (trials[w] < 0 || events[w] < 0 || events[w] > trials[w]) {
                throw new IllegalArgumentException("week " + w + ": need 0 <= events <= trials");
            }
            if (trials[w] > 0) {
                rates[weeks++] = (double) events[w] / trials[w];
            }
        }
        if (weeks < MINIMUM_WEEKS) {
            return Double.NaN;
        }
        double[] r = Arrays.copyOf(rates, weeks);
        Arrays.sort(r);
        return weeks % 2 == 1 ? r[weeks / 2] : 0.5 * (r[weeks / 2 - 1] + r[weeks / 2]);
    }
}
