package io.vigil.simulator.arms;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.vigil.contracts.events.v1.OutcomeKind;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.riskmodel.model.FeatureImportance;
import io.vigil.riskmodel.model.TreeEnsemble;
import io.vigil.riskmodel.population.DefaultedField;
import io.vigil.simulator.outcome.OutcomeModel;
import io.vigil.simulator.outcome.PlannedOutcome;
import io.vigil.simulator.population.PaymentFactory;
import io.vigil.simulator.population.SimulatedPayment;
import io.vigil.simulator.scenario.Scenario;
import io.vigil.simulator.scenario.World;

/**
 * Offline, deterministic conversion of a model arm in a scenario's world: the simulator's own checkouts
 * ({@link PaymentFactory}) and outcome model ({@link OutcomeModel}), with the decision scoring-service's default path
 * would take, but no service in between. Used to calibrate a scenario (e.g. how much a challenger's arm converts less
 * than the champion's) before a long stack run.
 *
 * <p>What scoring would see is emulated from the row: the values upstream sends ({@link SimulatedPayment#emitted()},
 * with the population's realistic missingness), except that a field the world defaults (seed 001's
 * {@code account_age_days = 0} for social logins) enters the model as missing, because feature-service flags the
 * sentinel DEFAULTED and scoring turns any non-OK status into NaN. The decision then follows scoring-service's
 * built-in default policy: the insufficient-data rule first (more than {@link Policy#maxMissingShare} of the model's
 * {@link Policy#keyFeatures} most-covered features missing: STEP_UP), else the cut-offs step-up / review / decline.
 *
 * <p>Not emulated, on purpose: feature-service latency and scoring's fallbacks (they hit both arms alike), Score
 * errors, and the arm split itself: every checkout is decided by both models and played with the same outcome random
 * stream, so the difference between two arms comes only from the checkouts they decide differently (a paired
 * comparison; the live 50/50 split by account hash adds sampling noise on top).
 */
public final class ArmConversion {

    /**
     * The decision policy scoring-service applies when no policy has been activated ({@code scoring.policies.*},
     * {@code scoring.coverage.*} defaults).
     */
    public record Policy(double stepUp, double review, double decline, int keyFeatures, double maxMissingShare) {

        public static final Policy SCORING_DEFAULT = new Policy(0.10, 0.30, 0.60, 8, 0.4);
    }

    /** Conversion of one arm: checkouts, orders completed, decisions, and the same for social-login checkouts. */
    public record Result(String model, long checkouts, long completed, Map<Decision, Long> decisions,
            long socialCheckouts, long socialCompleted, long insufficientData) {

        public double conversion() {
            return completed / (double) checkouts;
        }

        public double socialConversion() {
            return socialCheckouts == 0 ? Double.NaN : socialCompleted / (double) socialCheckouts;
        }

        public double share(Decision d) {
            return decisions.getOrDefault(d, 0L) / (double) checkouts;
        }
    }

    private final Scenario scenario;
    private final Policy policy;
    private final long seed;

    public ArmConversion(Scenario scenario, Policy policy, long seed) {
        this.scenario = scenario;
        this.policy = policy;
        this.seed = seed;
    }

    /**
     * Plays {@code checkouts} checkouts of the world at {@code since} of the scenario, spread evenly over the 24 hours
     * from {@code start} (the hour of day matters to the truth and to the model), each decided by {@code model}.
     */
    public Result run(String name, TreeEnsemble model, Duration since, Instant start, int checkouts) {
        World world = scenario.worldAt(since);
        PaymentFactory factory = new PaymentFactory(seed, "calibration");
        OutcomeModel outcomes = new OutcomeModel(scenario.rates());
        int[] columns = model.columnsFor(PaymentFeature.names());
        int[] ranking = FeatureImportance.ranking(model);
        int judged = Math.min(policy.keyFeatures(), ranking.length);
        float[] x = new float[model.featureCount()];
        long spacingNanos = Duration.ofDays(1).toNanos() / checkouts;
        Map<Decision, Long> decisions = new EnumMap<>(Decision.class);
        long completed = 0;
        long social = 0;
        long socialCompleted = 0;
        long insufficient = 0;
        for (int row = 0; row < checkouts; row++) {
            Instant at = start.plusNanos(row * spacingNanos);
            SimulatedPayment p = factory.create(row, at, world);
            float[] seen = seenByScoring(p, world.featureDefaults());
            for (int f = 0; f < x.length; f++) {
                x[f] = seen[columns[f]];
            }
            int missing = 0;
            for (int i = 0; i < judged; i++) {
                if (Float.isNaN(x[ranking[i]])) {
                    missing++;
                }
            }
            Decision d;
            if (judged > 0 && missing / (double) judged > policy.maxMissingShare()) {
                d = Decision.DECISION_STEP_UP;
                insufficient++;
            } else {
                double score = model.score(x);
                d = score >= policy.decline() ? Decision.DECISION_DECLINE
                        : score >= policy.review() ? Decision.DECISION_REVIEW
                        : score >= policy.stepUp() ? Decision.DECISION_STEP_UP
                        : Decision.DECISION_APPROVE;
            }
            decisions.merge(d, 1L, Long::sum);
            List<PlannedOutcome> plan = outcomes.plan(at, d, p.fraud(), p.channel(), world.breakage(p.channel()),
                    factory.outcomeRandom(row));
            boolean done = plan.stream().anyMatch(o -> o.kind() == OutcomeKind.OUTCOME_KIND_ORDER_COMPLETED);
            completed += done ? 1 : 0;
            if ("social".equals(p.loginMethod())) {
                social++;
                socialCompleted += done ? 1 : 0;
            }
        }
        return new Result(name, checkouts, completed, decisions, social, socialCompleted, insufficient);
    }

    /** The row as scoring enters it into the model: a field the world defaults for the row's segment is missing. */
    static float[] seenByScoring(SimulatedPayment p, List<DefaultedField> defaults) {
        float[] seen = p.emitted().clone();
        for (DefaultedField d : defaults) {
            if (d.segment().matches(p.features(), 0)) {
                seen[d.feature().ordinal()] = Float.NaN;
            }
        }
        return seen;
    }
}
