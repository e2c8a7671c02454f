package io.vigil.guardrail.monitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.vigil.guardrail.statistics.RateIncreaseDetector;

/**
 * Many cohort monitors at once without drowning in false alarms. Two controls, for two uses:
 * <ul>
 *   <li><b>Paging</b> (family-wise): a monitor pages when its detector's statistic reaches k m / alpha, for m monitors
 *       and k restart points in the horizon (24 for a day of hourly restarts). Each detector then falsely alarms within
 *       the horizon with probability at most alpha / m (see {@link RateIncreaseDetector}), so the whole family does
 *       with at most alpha, under any dependence between cohorts (they share payments).</li>
 *   <li><b>The list</b> an on-call lead reads (false discovery rate): e-BH (Wang and Ramdas 2022) on the e-values
 *       R_i / k_i (each has mean at most 1 under no change at a fixed time): sort them, keep the top j* where j* is the
 *       largest j with e_(j) >= m / (alpha j). The expected share of false entries is at most alpha, again under any
 *       dependence.</li>
 * </ul>
 */
public final class MonitorFamily {

    private final int monitors;
    private final double logPageThreshold;

    public MonitorFamily(int monitors, long restartsInHorizon, double alpha) {
        if (monitors < 1) {
            throw new IllegalArgumentException("a family needs at least one monitor, got " + monitors);
        }
        if (restartsInHorizon < 1) {
            throw new IllegalArgumentException("the horizon needs at least one restart point, got " + restartsInHorizon);
        }
        this.monitors = monitors;
        this.logPageThreshold = RateIncreaseDetector.logThreshold(restartsInHorizon * monitors, alpha);
    }

    /** True when a monitor whose detector has this log statistic should page. */
    public boolean pages(double logStatistic) {
        return logStatistic >= logPageThreshold;
    }

    public double logPageThreshold() {
        return logPageThreshold;
    }

    /**
     * The monitors on the FDR-controlled list, strongest first, from each monitor's log statistic and the restart
     * points it has passed.
     */
    public List<Integer> discoveries(double[] logStatistics, long[] restartsSoFar, double alpha) {
        if (logStatistics.length != monitors || restartsSoFar.length != monitors) {
            throw new IllegalArgumentException("expected " + monitors + " monitors");
        }
        Integer[] order = new Integer[monitors];
        double[] logE = new double[monitors];
        for (int i = 0; i < monitors; i++) {
            order[i] = i;
            logE[i] = restartsSoFar[i] == 0 ? Double.NEGATIVE_INFINITY
                    : logStatistics[i] - Math.log(restartsSoFar[i]);
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> logE[i]).reversed());
        int keep = 0;
        for (int j = 1; j <= monitors; j++) {
            if (logE[order[j - 1]] >= Math.log(monitors / (alpha * j))) {
                keep = j;
            }
        }
        List<Integer> out = new ArrayList<>(keep);
        for (int j = 0; j < keep; j++) {
            out.add(order[j]);
        }
        return out;
    }
}
