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

    public CohortWindows(Instant start, Duration window) {
        this.start = start;
        this.window = window;
    }

    public void add(SimulatedPayment p, Decision decision) {
        long index = Duration.between(start, p.createdAt()).toNanos() / window.toNanos();
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

    /** Writes and forgets every window that ends at or before {@code now} (all of them when now is null). */
    public void flush(Instant now, TruthFile truth) {
        while (!windows.isEmpty()) {
            long index = windows.firstKey();
            Instant from = start.plus(window.multipliedBy(index));
            Instant to = from.plus(window);
            if (now != null && to.isAfter(now)) {
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
