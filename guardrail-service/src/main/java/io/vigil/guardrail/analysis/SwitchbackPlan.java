package io.vigil.guardrail.analysis;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * How long a switchback test of a suspect change must run: the change is switched on and off in alternating time
 * blocks (half the blocks each way), and the block means are compared. A block must outlast the change's carry-over
 * (a cached model, a queued review) so that each block measures its own arm; the number of blocks follows from the
 * variance of a block's mean, binomial noise p(1-p)/n plus the between-block variance of the rate itself
 * (time-of-day swings), for a two-sided test at alpha with the given power:
 *
 * <pre>
 *   blocks = 2 * 2 * (z_(1-alpha/2) + z_power)^2 * (p(1-p)/n + tau^2) / delta^2      (rounded up to an even number)
 * </pre>
 * (two arms of blocks/2 each, each arm's mean having variance (p(1-p)/n + tau^2) / (blocks/2)).
 */
public final class SwitchbackPlan {

    public record Plan(double blockHours, long decisionsPerBlock, int blocks, double totalHours) {
    }

    private SwitchbackPlan() {
    }

    public static Plan plan(double baselineRate, double effect, double decisionsPerHour, double carryOverHours,
            double betweenBlockSd, double alpha, double power) {
        if (!(baselineRate > 0 && baselineRate < 1)) {
            throw new InvalidAnalysisException("baseline_rate", "must lie in (0, 1), got " + baselineRate);
        }
        if (!(effect > 0 && effect < 1)) {
            throw new InvalidAnalysisException("effect", "must lie in (0, 1), got " + effect);
        }
        if (!(decisionsPerHour > 0)) {
            throw new InvalidAnalysisException("decisions_per_hour", "must be > 0, got " + decisionsPerHour);
        }
        if (!(carryOverHours >= 0) || !(betweenBlockSd >= 0)) {
            throw new InvalidAnalysisException("carry_over_hours", "carry-over and between-block sd must be >= 0");
        }
        // At least an hour, and twice the carry-over so the first half of a block can be discarded.
        double blockHours = Math.max(1, 2 * carryOverHours);
        long perBlock = (long) Math.floor(decisionsPerHour * blockHours);
        double blockVariance = baselineRate * (1 - baselineRate) / perBlock + betweenBlockSd * betweenBlockSd;
        double z = RateEstimate.z(1 - alpha) + new NormalDistribution().inverseCumulativeProbability(power);
        int blocks = (int) Math.ceil(4 * z * z * blockVariance / (effect * effect));
        blocks = Math.max(2, blocks + (blocks % 2));
        return new Plan(blockHours, perBlock, blocks, blocks * blockHours);
    }
}
