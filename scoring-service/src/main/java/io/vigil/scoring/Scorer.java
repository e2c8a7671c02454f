package io.vigil.scoring;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.events.v1.ArmRole;
import io.vigil.contracts.events.v1.ArmScore;
import io.vigil.contracts.events.v1.DecisionMade;
import io.vigil.contracts.events.v1.DecisionTimings;
import io.vigil.contracts.events.v1.FeatureUsed;
import io.vigil.contracts.scoring.v1.Arm;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.contracts.scoring.v1.FallbackCause;
import io.vigil.contracts.scoring.v1.Reason;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.contracts.scoring.v1.ScoreResponse;
import io.vigil.eventing.ProtoTime;
import io.vigil.riskmodel.catalog.FeatureCatalog;
import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.scoring.config.ScoringConfig;
import io.vigil.scoring.decisions.DecisionStore;
import io.vigil.scoring.decisions.RequestFingerprint;
import io.vigil.scoring.decisions.StoredDecision;
import io.vigil.scoring.warmup.WarmUpCalls;
import io.vigil.scoring.events.DecisionPublisher;
import io.vigil.scoring.events.DecisionSlices;
import io.vigil.scoring.fallback.FallbackRule;
import io.vigil.scoring.features.FeatureDeriver;
import io.vigil.scoring.features.FeatureFetch;
import io.vigil.scoring.features.FeatureStoreClient;
import io.vigil.scoring.features.FeatureVector;
import io.vigil.scoring.grpc.CallerDeadline;
import io.vigil.scoring.metrics.ScoringMetrics;
import io.vigil.scoring.model.ModelLineup;
import io.vigil.scoring.model.ModelRegistry;
import io.vigil.scoring.model.ScoringModel;
import io.vigil.scoring.policy.CohortRule;
import io.vigil.scoring.policy.Coverage;
import io.vigil.scoring.policy.CoverageRule;
import io.vigil.scoring.policy.CoverageVerdict;
import io.vigil.scoring.policy.PolicyService;
import io.vigil.scoring.policy.ThresholdPolicy;
import io.vigil.scoring.routing.ArmAssignment;
import io.vigil.scoring.validation.InvalidField;
import io.vigil.scoring.validation.ScoreRequestValidator;

/**
 * Decides one checkout payment within its budget: validate, replay a recent decision for the same transaction id,
 * fetch stored features (own deadline), score every arm in process, apply the cohort's cut-offs, then claim the
 * decision in PostgreSQL as the transaction's one decision before answering (another replica's earlier decision wins
 * and is answered instead). Whatever goes wrong after validation ends in an answer, flagged as a fallback with its
 * cause, never in an error.
 */
@ApplicationScoped
public class Scorer {

    private static final int REASONS = 3;
    private static final long ONE_MILLISECOND = 1_000_000L;
    private static final Logger LOG = Logger.getLogger(Scorer.class);

    private final ScoreRequestValidator validator = new ScoreRequestValidator();
    private final FeatureDeriver deriver = new FeatureDeriver();
    private final FeatureStoreClient features;
    private final DecisionStore store;
    private final DecisionPublisher publisher;
    private final ScoringMetrics metrics;
    private final ModelRegistry models;
    private final PolicyService policies;
    private final FallbackRule fallbackRule;
    private final CoverageRule coverageRule;
    private final ArmAssignment arms;
    private final boolean reasonsOnApprove;
    private final long budgetNanos;
    private final long minimumNanos;
    private final double featureShare;
    private final int maxInFlight;

    Scorer(FeatureStoreClient features, DecisionStore store, DecisionPublisher publisher, ScoringMetrics metrics,
            ModelRegistry models, PolicyService policies, ScoringConfig config) {
        this.features = features;
        this.store = store;
        this.publisher = publisher;
        this.metrics = metrics;
        this.models = models;
        this.policies = policies;
        this.fallbackRule = new FallbackRule(config.fallback().stepUpAmountUsd());
        this.coverageRule = new CoverageRule(new Coverage(config.coverage().keyFeatures(), null,
                config.coverage().maxMissingShare(), config.coverage().decision()), fallbackRule);
        this.arms = new ArmAssignment(config.routing().buckets());
        this.reasonsOnApprove = config.reasons().onApprove();
        this.budgetNanos = config.budget().total().toNanos();
        this.minimumNanos = config.budget().minimum().toNanos();
        this.featureShare = config.budget().featureShare();
        this.maxInFlight = config.budget().maxInFlight();
    }

    /** Score with the caller's deadline taken from the current gRPC context. */
    public Uni<ScoreResponse> score(ScoreRequest r) {
        return score(r, CallerDeadline.remainingNanos(), models.current(), WarmUpCalls.current());
    }

    /** Score with a caller's remaining time of {@code callerNanos} (Long.MAX_VALUE: none). */
    public Uni<ScoreResponse> score(ScoreRequest r, long callerNanos) {
        return score(r, callerNanos, models.current());
    }

    /** Score with the given line-up (the one in force; tests stand in a model that fails). */
    Uni<ScoreResponse> score(ScoreRequest r, long callerNanos, ModelLineup lineup) {
        return score(r, callerNanos, lineup, false);
    }

    /** @param warmUp the service's own warm-up call: the whole path, but nothing stored, published or counted */
    private Uni<ScoreResponse> score(ScoreRequest r, long callerNanos, ModelLineup lineup, boolean warmUp) {
        long start = System.nanoTime();
        InvalidField bad = validator.validate(r);
        if (bad != null) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT.withDescription(bad.describe()).asRuntimeException());
        }
        long fingerprint = RequestFingerprint.of(r);
        StoredDecision earlier = store.cached(r.getTransactionId());
        if (earlier != null) {
            return replay(earlier, fingerprint, r);
        }
        Routed routed = route(r, lineup);
        long budget = Math.min(budgetNanos, callerNanos);
        FeatureVector v = deriver.fromRequest(r, System.currentTimeMillis() / 1000);
        if (!metrics.enter(maxInFlight)) {
            return commit(r, fingerprint, routed,
                    fallback(r, v, FallbackCause.FALLBACK_CAUSE_OVERLOAD, start, budget, 0L), start, budget, warmUp);
        }
        if (budget < minimumNanos) {
            metrics.exit();
            return commit(r, fingerprint, routed,
                    fallback(r, v, FallbackCause.FALLBACK_CAUSE_DEADLINE, start, budget, 0L), start, budget, warmUp);
        }
        long featureDeadline = (long) (budget * featureShare);
        // What remains after the features, kept for the model and the claim; a model stuck past the budget loses to
        // the fallback. Vert.x timers refuse delays under 1 ms, so a budget that is nearly gone waits that long at most.
        long remaining = Math.max(budget - (System.nanoTime() - start), ONE_MILLISECOND);
        return features.fetch(r, featureDeadline)
                .map(fetch -> decide(r, v, fetch, lineup, start, budget))
                .ifNoItem().after(Duration.ofNanos(remaining))
                .recoverWithItem(() -> fallback(r, v, FallbackCause.FALLBACK_CAUSE_DEADLINE, start, budget, 0L))
                .onTermination().invoke(metrics::exit)
                .flatMap(o -> commit(r, fingerprint, routed, o, start, budget, warmUp))
                // Last line of defence: a bug on this path must still end in an answer, never in an error status
                // the checkout would have to handle (an IllegalArgumentException would reach it as INVALID_ARGUMENT).
                .onFailure(t -> !(t instanceof StatusRuntimeException)).recoverWithItem(t -> {
                    LOG.errorf(t, "unexpected failure scoring a payment; answered with the fallback");
                    Outcome o = fallback(r, v, FallbackCause.FALLBACK_CAUSE_MODEL_ERROR, start, budget, 0L);
                    return o.response();
                });
    }

    private Uni<ScoreResponse> replay(StoredDecision earlier, long fingerprint, ScoreRequest r) {
        if (earlier.fingerprint() != fingerprint) {
            return Uni.createFrom().failure(Status.ALREADY_EXISTS.withDescription("transaction_id: '"
                    + r.getTransactionId() + "' was already decided for a different payload; a retry must repeat the "
                    + "original request exactly, a new payment needs a new transaction_id").asRuntimeException());
        }
        metrics.replay();
        return Uni.createFrom().item(earlier.response());
    }

    /** The arm an account is routed to and its model version, whether or not that model gets to decide. */
    record Routed(Arm arm, String modelVersion) {
    }

    /** Same assignment as {@link #decide}: the sticky hash against the line-up's challenger share. */
    private Routed route(ScoreRequest r, ModelLineup lineup) {
        if (lineup.challenger() != null && arms.challenger(r.getAccountId(), lineup.challengerShare())) {
            return new Routed(Arm.ARM_CHALLENGER, lineup.challenger().version());
        }
        return new Routed(Arm.ARM_CHAMPION, lineup.champion().version());
    }

    /** Everything a decision produced, before it is claimed and recorded. */
    record Outcome(ScoreResponse response, FeatureVector features, DecisionMade.Builder event) {
    }

    private Outcome decide(ScoreRequest r, FeatureVector v, FeatureFetch fetch, ModelLineup lineup, long start,
            long budget) {
        metrics.featureFetch(fetch.nanos());
        if (!fetch.ok()) {
            return fallback(r, v, fetch.cause(), start, budget, fetch.nanos());
        }
        long modelStart = System.nanoTime();
        boolean challenger = lineup.challenger() != null
                && arms.challenger(r.getAccountId(), lineup.challengerShare());
        ScoringModel decider = challenger ? lineup.challenger() : lineup.champion();
        try {
            deriver.applyStored(v, fetch.response(), r);
            ThresholdPolicy policy = policies.current();
            CohortRule cohort = cohortOf(policy, v);
            float[] x = v.values();
            double score = decider.score(x);
            if (Double.isNaN(score)) {
                throw new IllegalStateException("model scored NaN");
            }
            // Too little of what the model depends on: the insufficient-data rule decides, not the model's priors.
            CoverageVerdict coverage = coverageRule.judge(policy, cohort, decider, v);
            boolean modelDecides = !coverage.insufficient();
            Decision decision = modelDecides ? ThresholdPolicy.decide(cohort, score) : coverage.decision();
            int[] top = new int[REASONS];
            double[] contributions = new double[REASONS];
            boolean owed = reasonsOnApprove || decision != Decision.DECISION_APPROVE;
            int n = modelDecides && owed ? decider.explain(x, top, contributions) : 0;
            Arm arm = !modelDecides ? Arm.ARM_UNSPECIFIED : challenger ? Arm.ARM_CHALLENGER : Arm.ARM_CHAMPION;

            DecisionMade.Builder event = DecisionMade.newBuilder()
                    .setKeyFeatureMissingShare(coverage.missingShare())
                    .addAllKeyFeaturesMissing(coverage.missing())
                    .setMaxKeyFeatureMissingShare(coverage.maxMissingShare());
            event.addArmScores(ArmScore.newBuilder().setModelVersion(decider.version())
                    .setRole(challenger ? ArmRole.ARM_ROLE_CHALLENGER : ArmRole.ARM_ROLE_CHAMPION)
                    .setScore(score).setDecided(modelDecides));
            if (lineup.challenger() != null) {
                ScoringModel other = challenger ? lineup.champion() : lineup.challenger();
                logged(event, other, challenger ? ArmRole.ARM_ROLE_CHAMPION : ArmRole.ARM_ROLE_CHALLENGER, x);
            }
            for (ScoringModel shadow : lineup.shadows()) {
                logged(event, shadow, ArmRole.ARM_ROLE_SHADOW, x);
            }
            long modelNanos = System.nanoTime() - modelStart;
            metrics.model(modelNanos);

            ScoreResponse.Builder response = ScoreResponse.newBuilder()
                    .setDecisionId(UUID.randomUUID().toString())
                    .setDecision(decision)
                    .setScore(modelDecides ? score : 0.0)
                    .setModelVersion(modelDecides ? decider.version() : "")
                    .setPolicyVersion(policy.version())
                    .setArm(arm)
                    .setFallback(!modelDecides)
                    .setFallbackCause(modelDecides ? FallbackCause.FALLBACK_CAUSE_NONE
                            : FallbackCause.FALLBACK_CAUSE_INSUFFICIENT_DATA)
                    .addAllFeatureIssues(v.issues())
                    .setCohort(cohort.name())
                    .setKeyFeatureMissingShare(coverage.missingShare());
            for (int i = 0; i < n; i++) {
                response.addReasons(Reason.newBuilder().setCode(decider.reasonCode(top[i]))
                        .setFeature(decider.featureName(top[i])).setContribution(contributions[i]));
            }
            event.setTimings(DecisionTimings.newBuilder().setFeatureFetchUs(fetch.nanos() / 1000)
                    .setModelUs(modelNanos / 1000).setBudgetUs(budget / 1000));
            return finish(response, v, event, start);
        } catch (RuntimeException modelFailure) {
            modelFailed(decider.version(), modelFailure);
            return fallback(r, v, FallbackCause.FALLBACK_CAUSE_MODEL_ERROR, start, budget, fetch.nanos());
        }
    }

    /**
     * Scores an arm that does not decide (the other of champion/challenger, a shadow): its failure is logged and
     * counted and leaves it out of the event, never costing the payment its decision.
     */
    private void logged(DecisionMade.Builder event, ScoringModel model, ArmRole role, float[] x) {
        try {
            double score = model.score(x);
            event.addArmScores(ArmScore.newBuilder().setModelVersion(model.version()).setRole(role).setScore(score));
        } catch (RuntimeException failure) {
            modelFailed(model.version(), failure);
        }
    }

    /**
     * A model failed: one log line (model version and the failure, never the payment's ids or values) for the first
     * failure and every 1,000th after, so a broken model cannot flood the log at checkout rates; every one counted.
     */
    private void modelFailed(String modelVersion, RuntimeException failure) {
        long seen = metrics.modelError(modelVersion);
        if (seen % 1000 == 1) {
            LOG.errorf("model %s failed to score a payment (%d failures so far), answered with the fallback: %s",
                    modelVersion, seen, failure.toString());
        }
    }

    private static CohortRule cohortOf(ThresholdPolicy policy, FeatureVector v) {
        return policy.cohortOf(v.country(), v.region(), v.ageBand(), v.channel(), v.loginMethod());
    }

    Outcome fallback(ScoreRequest r, FeatureVector v, FallbackCause cause, long start, long budget, long featureNanos) {
        ThresholdPolicy policy = policies.current();
        ScoreResponse.Builder response = ScoreResponse.newBuilder()
                .setDecisionId(UUID.randomUUID().toString())
                .setDecision(fallbackRule.decide(v))
                .setPolicyVersion(policy.version())
                .setArm(Arm.ARM_UNSPECIFIED)
                .setFallback(true)
                .setFallbackCause(cause)
                .addAllFeatureIssues(v.issues())
                .setCohort(cohortOf(policy, v).name());
        DecisionMade.Builder event = DecisionMade.newBuilder()
                .setTimings(DecisionTimings.newBuilder().setFeatureFetchUs(featureNanos / 1000)
                        .setBudgetUs(budget / 1000));
        return finish(response, v, event, start);
    }

    private Outcome finish(ScoreResponse.Builder response, FeatureVector v, DecisionMade.Builder event, long start) {
        long total = System.nanoTime() - start;
        response.setServerTimeUs(total / 1000);
        event.setTimings(event.getTimings().toBuilder().setTotalUs(total / 1000));
        return new Outcome(response.build(), v, event);
    }

    /**
     * Claims the outcome as the transaction's one decision (within what is left of the budget) and answers the decision
     * that stands: this one, or an earlier one for the same id decided by another call or replica. Only the winner
     * is counted and published, so a race yields one decision event, not one per racer.
     */
    private Uni<ScoreResponse> commit(ScoreRequest r, long fingerprint, Routed routed, Outcome o, long start,
            long budget, boolean warmUp) {
        if (warmUp) {
            // Build and encode the event as a real decision would, then drop it, and claim in a transaction that is
            // rolled back: warm code, no synthetic payment.
            event(r, o, Instant.now()).toByteArray();
            return store.warmClaim(r.getTransactionId(), new StoredDecision(fingerprint, o.response()))
                    .replaceWith(o.response());
        }
        StoredDecision mine = new StoredDecision(fingerprint, o.response());
        long left = budget - (System.nanoTime() - start);
        return store.claim(r.getTransactionId(), mine, left).flatMap(claim -> {
            if (claim.lostTo(mine)) {
                return replay(claim.standing(), fingerprint, r);
            }
            ScoreResponse resp = o.response();
            metrics.decision(resp.getDecision(), resp.getArm(), resp.getCohort(), resp.getFallbackCause());
            long total = System.nanoTime() - start;
            metrics.total(total);
            o.event().setIdempotencyCheck(claim.check())
                    .setRoutedArm(routed.arm()).setRoutedModelVersion(routed.modelVersion())
                    .setTimings(o.event().getTimings().toBuilder().setTotalUs(total / 1000));
            Instant decidedAt = Instant.now();
            // The record's event time is the payment's own time when the checkout sent one: consumers window by it,
            // so a replayed day (the checkout simulator) lands in the windows the real day would.
            Instant eventTime = r.hasCreatedAt() ? ProtoTime.toInstant(r.getCreatedAt()) : decidedAt;
            publisher.publish(event(r, o, decidedAt), eventTime);
            return Uni.createFrom().item(resp);
        });
    }

    private static DecisionMade event(ScoreRequest r, Outcome o, Instant decidedAt) {
        ScoreResponse resp = o.response();
        DecisionMade.Builder e = o.event()
                .setDecisionId(resp.getDecisionId())
                .setTransactionId(r.getTransactionId())
                .setAccountId(r.getAccountId())
                .setDecidedAt(ProtoTime.of(decidedAt))
                .setAttributes(DecisionSlices.of(r, o.features()))
                .setDecision(resp.getDecision())
                .setScore(resp.getScore())
                .setArm(resp.getArm())
                .setModelVersion(resp.getModelVersion())
                .setPolicyVersion(resp.getPolicyVersion())
                .setCohort(resp.getCohort())
                .setFallback(resp.getFallback())
                .setFallbackCause(resp.getFallbackCause())
                .addAllFeatureIssues(resp.getFeatureIssuesList())
                .addAllReasons(resp.getReasonsList())
                .setFeatureContract(FeatureCatalog.CONTRACT_VERSION);
        if (r.hasCreatedAt()) {
            e.setPaymentCreatedAt(r.getCreatedAt());
        }
        float[] x = o.features().values();
        PaymentFeature[] all = PaymentFeature.values();
        for (int i = 0; i < x.length; i++) {
            boolean missing = Float.isNaN(x[i]);
            e.addFeatures(FeatureUsed.newBuilder().setName(all[i].featureName()).setValue(missing ? 0.0 : x[i])
                    .setMissing(missing));
        }
        return e.build();
    }
}
