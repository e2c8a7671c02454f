package io.vigil.guardrail.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.vigil.guardrail.statistics.Interval;

/**
 * Which slices (merchants, devices, BIN countries, channels, amount bands) carry a cohort's excess harm? Each slice's
 * excess is its harmed count minus what the baseline rate predicts for its volume; slices are ranked by it, each with
 * an interval (from the slice's Wilson interval) and its share of the cohort's total excess, so "three merchants carry
 * 60% of the excess" is read off the cumulative share.
 */
public final class SliceContribution {

    public record Slice(String value, long harmed, long volume) {
    }

    public record Contribution(String value, RateEstimate rate, double excess, Interval excessInterval, double share,
            double cumulativeShare) {
    }

    private SliceContribution() {
    }

    public static List<Contribution> rank(List<Slice> slices, double baselineRate, double confidence) {
        if (!(baselineRate >= 0 && baselineRate <= 1)) {
            throw new InvalidAnalysisException("baseline_rate", "must lie in [0, 1], got " + baselineRate);
        }
        double totalExcess = 0;
        List<Contribution> out = new ArrayList<>();
        for (Slice s : slices) {
            if (s.volume() < 0 || s.harmed() < 0 || s.harmed() > s.volume()) {
                throw new InvalidAnalysisException("slices", "slice '" + s.value() + "': need 0 <= harmed <= volume");
            }
            RateEstimate r = RateEstimate.of(s.harmed(), s.volume(), confidence);
            double expected = baselineRate * s.volume();
            double excess = s.harmed() - expected;
            totalExcess += excess;
            out.add(new Contribution(s.value(), r, excess, new Interval(r.interval().lower() * s.volume() - expected,
                    r.interval().upper() * s.volume() - expected), 0, 0));
        }
        out.sort(Comparator.comparingDouble(Contribution::excess).reversed());
        List<Contribution> ranked = new ArrayList<>(out.size());
        double cumulative = 0;
        for (Contribution c : out) {
            double share = totalExcess > 0 ? c.excess() / totalExcess : Double.NaN;
            cumulative += share;
            ranked.add(new Contribution(c.value(), c.rate(), c.excess(), c.excessInterval(), share, cumulative));
        }
        return ranked;
    }
}
