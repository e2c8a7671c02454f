package io.vigil.simulator.truth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.simulator.population.SimulatedPayment;

/**
 * True per-cohort rates per window of simulated time: for every cohort key (everyone; country and age band;
 * channel; login method) the payments, frauds, the mean true fraud probability, and what the checkout did with them.
 * {@code incorrect_approvals} are frauds the checkout approved outright. Windows are aligned to the simulated start.
 */
public final class CohortWindows {

    /** Counts of one cohort in one window. */
    public static final class Counts {
        public long payments;
        public long fraud;
        public double fraudProbabilitySum;
        public long approved;
        public long incorrectApprovals;
        public long stepUps;
        public long reviews;
        public long declines;

        public double fraudRate() {
            return payments == 0 ? 0 : (double) fraud / payments;
        }

        public double expectedFraudRate() {
            return payments == 0 ? 0 : fraudProbabilitySum / payments;
        }
    }

    private final Instant start;
    private final Duration window;
    private final TreeMap<Long, Map<String, Counts>> windows = new TreeMap<>();
    /** Payments generated but not answered yet, per window: a window is written only once all of its are in. */
    private final TreeMap<Long, Integer> outstanding = new TreeMap<>();

    public CohortWindows(Instant start, Duration window) {
        this.start = start;
        this.window = window;
    }

    /** A payment was generated: its window waits for its answer. */
    public void expect(SimulatedPayment p) {
        outstanding.merge(index(p), 1, Integer::sum);
    }

    private long index(SimulatedPayment p) {
        return Duration.between(start, p.createdAt()).toNanos() / window.toNanos();
    }

    /** The checkout acted on {@code decision} for {@code p} (after {@link #expect}). */
    public void add(SimulatedPayment p, Decision decision) {
        long index = index(p);
        outstanding.computeIfPresent(index, (k, n) -> n <= 1 ? null : n - 1);
        Map<String, Counts> cohorts = windows.computeIfAbsent(index, i -> new TreeMap<>());
        for (String key : new String[] {"all", "country=" + p.country() + ",customer_age_band=" + p.ageBand(),
                "channel=" + p.channel(), "login_method=" + p.loginMethod()}) {
            Counts c = cohorts.computeIfAbsent(key, k -> new Counts());
            c.payments++;
            c.fraudProbabilitySum += p.fraudProbability();
            if (p.fraud()) {
                c.fraud++;
            }
            switch (decision) {
                case DECISION_APPROVE -> {
                    c.approved++;
                    if (p.fraud()) {
                        c.incorrectApprovals++;
                    }
                }
                case DECISION_STEP_UP -> c.stepUps++;
                case DECISION_REVIEW -> c.reviews++;
                default -> c.declines++;
            }
        }
    }

    /**
     * Writes and forgets every window that is complete: it ends at or before {@code generatedUntil} (every payment
     * of it has been generated) and none of its payments still waits for an answer. Null: everything, at the end.
     */
    public void flush(Instant generatedUntil, TruthFile truth) {
        while (!windows.isEmpty()) {
            long index = windows.firstKey();
            Instant from = start.plus(window.multipliedBy(index));
            Instant to = from.plus(window);
            if (generatedUntil != null && (to.isAfter(generatedUntil)
                    || (!outstanding.isEmpty() && outstanding.firstKey() <= index))) {
                return;
            }
            for (Map.Entry<String, Counts> e : windows.pollFirstEntry().getValue().entrySet()) {
                Counts c = e.getValue();
                var r = truth.record("window", from);
                r.put("window_end", to.toString()).put("cohort", e.getKey()).put("payments", c.payments)
                        .put("fraud", c.fraud).put("fraud_rate", c.fraudRate())
                        .put("expected_fraud_rate", c.expectedFraudRate()).put("approved", c.approved)
                        .put("incorrect_approvals", c.incorrectApprovals).put("step_ups", c.stepUps)
                        .put("reviews", c.reviews).put("declines", c.declines);
                truth.write(r);
            }
        }
    }
}
