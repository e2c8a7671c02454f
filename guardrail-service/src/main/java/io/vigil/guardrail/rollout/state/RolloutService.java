package io.vigil.guardrail.rollout.state;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vigil.guardrail.evaluation.GuardrailMetric;
import io.vigil.guardrail.rollout.config.CapacityConfig;
import io.vigil.guardrail.rollout.config.RolloutConfig;
import io.vigil.guardrail.rollout.outbox.OutboxRelay;
import io.vigil.guardrail.rollout.outbox.RolloutOutbox;
import io.vigil.guardrail.rollout.plan.CapacityDefaults;
import io.vigil.guardrail.rollout.plan.Limit;
import io.vigil.guardrail.rollout.plan.PlanGuardrail;
import io.vigil.guardrail.rollout.plan.PlanReader;
import io.vigil.guardrail.rollout.plan.PlanStep;
import io.vigil.guardrail.rollout.plan.PlanValidationException;
import io.vigil.guardrail.rollout.plan.RolloutPlan;
import io.vigil.guardrail.rollout.scoring.Lineup;
import io.vigil.guardrail.rollout.scoring.LineupChange;
import io.vigil.guardrail.rollout.scoring.LineupTargets;
import io.vigil.guardrail.rollout.scoring.ScoringLineups;
import io.vigil.guardrail.rollout.store.Rollout;
import io.vigil.guardrail.rollout.store.RolloutStep;
import io.vigil.guardrail.rollout.store.SignOff;

/**
 * What operators and verdicts do to rollouts. Every change runs in one transaction that holds the rollout's row lock
 * ({@code SELECT ... FOR UPDATE}) while it checks the state machine, drives scoring-service (an idempotent
 * {@code PUT /lineup}) and audits, and writes the events and the watch into the outbox in the same transaction (the
 * relay sends them after the commit, so a crash in between loses none). A rollback is recorded first
 * (ROLLING_BACK) and then applied, retried until scoring-service takes it, by whichever instance gets to it.
 */
@ApplicationScoped
public class RolloutService {

    private static final Logger LOG = Logger.getLogger(RolloutService.class);
    static final List<RolloutState> OVER = List.of(RolloutState.ROLLED_BACK, RolloutState.COMPLETED,
            RolloutState.ABORTED);

    private final PlanReader reader = new PlanReader();
    private final Transitions transitions;
    private final ScoringLineups lineups;
    private final RolloutOutbox outbox;
    private final OutboxRelay relay;
    private final RolloutConfig config;
    /** Restores this instance is applying now: a second ask (the resumer, an abort waiting) joins the one running. */
    private final Map<String, Uni<Void>> restoring = new ConcurrentHashMap<>();

    private final CapacityDefaults capacities;

    RolloutService(Transitions transitions, ScoringLineups lineups, RolloutOutbox outbox, OutboxRelay relay,
            RolloutConfig config, CapacityConfig capacities) {
        this.transitions = transitions;
        this.lineups = lineups;
        this.outbox = outbox;
        this.relay = relay;
        this.config = config;
        this.capacities = capacities.defaults();
    }

    // ---- create and start

    /**
     * Validates and records a plan (PENDING), then applies its first step. A plan that cannot run is refused before
     * anything is written ({@link PlanValidationException}); scoring-service unreachable at the start leaves the
     * rollout PENDING, to be started by the resumer.
     *
     * @return the new rollout's id
     */
    public Uni<String> create(byte[] body, boolean yaml, String actor) {
        // Capacities the plan leaves out are the configured ones, stored with the plan (and changed over REST).
        JsonNode tree = reader.withDefaults(reader.tree(body, yaml), capacities);
        RolloutPlan plan = reader.read(tree);
        String id = "ro-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 12);
        return checkTargets(plan)
                .flatMap(x -> lineups.current())
                .flatMap(before -> Panache.withTransaction(() -> refuseSecond(plan).flatMap(y -> {
                    Instant now = transitions.now();
                    Rollout r = new Rollout();
                    r.id = id;
                    r.modelVersion = plan.modelVersion();
                    r.policyVersion = plan.policyVersion();
                    r.state = RolloutState.PENDING;
                    r.stepIndex = 0;
                    r.alpha = plan.alpha();
                    r.plan = tree.toString();
                    r.lineupBefore = transitions.write(before);
                    r.createdAt = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
                    r.createdBy = actor;
                    r.updatedAt = r.createdAt;
                    List<RolloutStep> steps = new ArrayList<>();
                    for (int i = 0; i < plan.steps().size(); i++) {
                        PlanStep p = plan.steps().get(i);
                        RolloutStep s = new RolloutStep();
                        s.rolloutId = id;
                        s.stepIndex = i;
                        s.share = p.share();
                        s.minimumDurationMs = p.minimumDuration().toMillis();
                        s.minimumExposure = p.minimumExposure();
                        s.signOff = String.join(",", p.signOff());
                        steps.add(s);
                    }
                    Locked l = new Locked(r, steps, plan);
                    String reason = plan.reason() == null ? "rollout of " + plan.targetText() : plan.reason();
                    return r.persist().flatMap(z -> RolloutStep.persist(steps))
                            .flatMap(z -> transitions.audit(l, null, 0, "create", actor, reason, now, null, null,
                                    null))
                            .call(event -> outbox.enqueue(List.of(event), null));
                })))
                .onFailure(RolloutService::activeTargetTaken).transform(e -> new RolloutConflictException("target",
                        plan.targetText() + " already has an active rollout"))
                .invoke(event -> relay.kick())
                .flatMap(x -> start(id, actor).onFailure().recoverWithItem(e -> {
                    LOG.warnf("rollout %s stays PENDING: %s", id, e.getMessage());
                    return null;
                }))
                .replaceWith(id);
    }

    private Uni<Void> checkTargets(RolloutPlan plan) {
        Uni<Void> model = !plan.movesModel() ? Uni.createFrom().voidItem()
                : lineups.modelRegistered(plan.modelVersion()).invoke(found -> {
                    if (!found) {
                        throw new PlanValidationException("target.model_version", "model '" + plan.modelVersion()
                                + "' is not registered in scoring-service");
                    }
                }).replaceWithVoid();
        return model.flatMap(x -> !plan.movesPolicy() ? Uni.createFrom().voidItem()
                : lineups.policyExists(plan.policyVersion()).invoke(found -> {
                    if (!found) {
                        throw new PlanValidationException("target.policy_version", "policy '" + plan.policyVersion()
                                + "' does not exist in scoring-service");
                    }
                }).replaceWithVoid());
    }

    private Uni<Void> refuseSecond(RolloutPlan plan) {
        Uni<Long> models = !plan.movesModel() ? Uni.createFrom().item(0L)
                : Rollout.count("modelVersion = ?1 and state not in ?2", plan.modelVersion(), OVER);
        return models.flatMap(m -> {
            if (m > 0) {
                throw new RolloutConflictException("target.model_version", "model " + plan.modelVersion()
                        + " already has an active rollout");
            }
            return !plan.movesPolicy() ? Uni.createFrom().item(0L)
                    : Rollout.count("policyVersion = ?1 and state not in ?2", plan.policyVersion(), OVER);
        }).invoke(p -> {
            if (p > 0) {
                throw new RolloutConflictException("target.policy_version", "policy " + plan.policyVersion()
                        + " already has an active rollout");
            }
        }).replaceWithVoid();
    }

    /**
     * PENDING -> RUNNING: applies step 0 in place of the line-up served now (compare-and-set on its revision, so a
     * line-up changed meanwhile is not overwritten unseen) and remembers that line-up for a rollback.
     */
    public Uni<Void> start(String id, String actor) {
        return lineups.current().flatMap(current -> inTransaction(() -> transitions.lock(id).flatMap(l -> {
            Rollout r = l.rollout();
            if (r.state != RolloutState.PENDING) {
                return Uni.createFrom().item(Transitions.Change.NONE);
            }
            RolloutPlan plan = l.plan();
            Lineup stored = transitions.lineup(r.lineupBefore);
            String reason = "step 0 of " + plan.targetText() + " at " + percent(plan.steps().get(0).share());
            LineupChange change = LineupTargets.step(plan, plan.steps().get(0).share(), current, reason,
                    current.revision());
            // Applied before but not recorded (a crash between): the stored line-up is the one to restore.
            boolean applied = LineupTargets.serves(current, change) && stored != null && !stored.sameAs(current);
            Lineup before = applied ? stored : current;
            Uni<Lineup> apply = applied ? Uni.createFrom().item(current) : lineups.apply(change);
            return apply.flatMap(after -> {
                Instant now = transitions.now();
                r.lineupBefore = transitions.write(before);
                l.steps().get(0).startedAt = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
                return transitions.record(l, RolloutState.RUNNING, 0, "start", actor, reason, now, null, before,
                        after).map(e -> new Transitions.Change(List.of(e), transitions.watch(l), false));
            });
        }))).flatMap(this::publish);
    }

    // ---- operators

    public Uni<Void> pause(String id, String actor, String reason) {
        return change(id, l -> {
            if (!l.rollout().state.watched() || l.rollout().state == RolloutState.PAUSED) {
                throw new IllegalTransitionException(l.rollout().state, "pause");
            }
            return transitions.record(l, RolloutState.PAUSED, l.rollout().stepIndex, "pause", actor, reason,
                    transitions.now(), null, null, null).map(e -> new Transitions.Change(List.of(e), null, false));
        });
    }

    public Uni<Void> resume(String id, String actor, String reason) {
        return change(id, l -> {
            if (l.rollout().state != RolloutState.PAUSED) {
                throw new IllegalTransitionException(l.rollout().state, "resume");
            }
            return transitions.record(l, RolloutState.RUNNING, l.rollout().stepIndex, "resume", actor, reason,
                    transitions.now(), null, null, null).map(e -> new Transitions.Change(List.of(e), null, false));
        });
    }

    /** An operator's promotion: past the current step now (sign-offs still required), in event time now. */
    public Uni<Void> promote(String id, String actor, String reason) {
        return change(id, l -> {
            RolloutState s = l.rollout().state;
            if (s != RolloutState.RUNNING && s != RolloutState.AWAITING_SIGN_OFF) {
                throw new IllegalTransitionException(s, "promote");
            }
            return promoteLocked(l, actor, reason, transitions.now(), null, true);
        });
    }

    /**
     * Past the current step: waits for missing sign-offs (AWAITING_SIGN_OFF), or applies the next step, or completes
     * (after the last step, or into a step of share 1) with the target serving all traffic.
     *
     * @param strict an operator's promotion while sign-offs are missing is refused; a verdict's only waits
     */
    Uni<Transitions.Change> promoteLocked(Locked l, String actor, String reason, Instant at, String verdictId,
            boolean strict) {
        Rollout r = l.rollout();
        int i = r.stepIndex;
        return SignOff.<SignOff>list("rolloutId = ?1 and stepIndex = ?2", r.id, i).flatMap(signed -> {
            List<String> missing = new ArrayList<>(l.step().signOffRoles());
            signed.forEach(s -> missing.remove(s.role));
            if (!missing.isEmpty()) {
                if (r.state == RolloutState.RUNNING) {
                    return transitions.record(l, RolloutState.AWAITING_SIGN_OFF, i, "await-sign-off", actor,
                            "step " + i + " passed; waiting for sign-off by " + String.join(", ", missing), at,
                            verdictId, null, null).map(e -> new Transitions.Change(List.of(e), null, false));
                }
                if (strict) {
                    throw new IllegalTransitionException("sign_off: step " + i + " waits for sign-off by "
                            + String.join(", ", missing));
                }
                return Uni.createFrom().item(Transitions.Change.NONE);
            }
            Lineup before = transitions.lineup(r.lineupBefore);
            int next = i + 1;
            boolean completes = next >= l.steps().size() || l.steps().get(next).share >= 1.0;
            if (completes) {
                LineupChange change = LineupTargets.completion(l.plan(), before, reason);
                return lineups.apply(change).flatMap(after -> transitions.record(l, RolloutState.COMPLETED, i,
                        "complete", actor, reason, at, verdictId, null, after))
                        .map(e -> new Transitions.Change(List.of(e), transitions.watch(l), false));
            }
            double share = l.steps().get(next).share;
            LineupChange change = LineupTargets.step(l.plan(), share, before, reason, null);
            return lineups.apply(change).flatMap(after -> {
                r.stepIndex = next;
                l.steps().get(next).startedAt = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
                return transitions.record(l, RolloutState.RUNNING, i, "promote", actor, reason, at, verdictId, null,
                        after);
            }).map(e -> new Transitions.Change(List.of(e), transitions.watch(l), false));
        });
    }

    /** A named role approves promotion past the current step; the last missing one promotes a waiting rollout. */
    public Uni<Void> signOff(String id, String role, String subject, String reason) {
        return change(id, l -> {
            Rollout r = l.rollout();
            RolloutState s = r.state;
            if (!s.watched()) {
                throw new IllegalTransitionException(s, "sign off");
            }
            if (!l.step().signOffRoles().contains(role)) {
                throw new PlanValidationException("role", "step " + r.stepIndex + " asks no sign-off from '" + role
                        + "'" + (l.step().signOffRoles().isEmpty() ? ""
                                : "; it asks " + String.join(", ", l.step().signOffRoles())));
            }
            return SignOff.<SignOff>find("rolloutId = ?1 and stepIndex = ?2 and role = ?3", r.id, r.stepIndex, role)
                    .firstResult().flatMap(existing -> {
                        if (existing != null) {
                            throw new RolloutConflictException("role", "'" + role + "' already signed off step "
                                    + r.stepIndex + " (" + existing.subject + ")");
                        }
                        Instant now = transitions.now();
                        SignOff so = new SignOff();
                        so.rolloutId = r.id;
                        so.stepIndex = r.stepIndex;
                        so.role = role;
                        so.subject = subject;
                        so.at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
                        String why = "sign-off as " + role + (reason == null ? "" : ": " + reason);
                        return so.persist().flatMap(x -> transitions.audit(l, s, r.stepIndex, "sign-off", subject,
                                why, now, null, null, null))
                                .flatMap(e -> s != RolloutState.AWAITING_SIGN_OFF
                                        ? Uni.createFrom().item(new Transitions.Change(List.of(e), null, false))
                                        : promoteLocked(l, subject, "signed off: " + role, now, null, false)
                                                .map(c -> new Transitions.Change(List.of(e), null, false).and(c)));
                    });
        });
    }

    /**
     * Stops the rollout and restores the line-up it found: nothing to restore while PENDING (ABORTED at once),
     * otherwise ROLLING_BACK until scoring-service has the previous line-up back, then ABORTED.
     */
    public Uni<Void> abort(String id, String actor, String reason) {
        return change(id, l -> {
            Rollout r = l.rollout();
            if (r.state == RolloutState.PENDING) {
                return transitions.record(l, RolloutState.ABORTED, 0, "abort", actor, reason, transitions.now(), null,
                        null, null).map(e -> new Transitions.Change(List.of(e), null, false));
            }
            if (!r.state.watched()) {
                throw new IllegalTransitionException(r.state, "abort");
            }
            return rollBackLocked(l, RolloutState.ABORTED, "abort", actor, reason, transitions.now(), null);
        }).flatMap(x -> restore(id).ifNoItem().after(config.abortWait()).recoverWithItem(() -> null)
                .onFailure().recoverWithNull());
    }

    /** Records the decision to roll back (ROLLING_BACK, the watch ended); the restore follows after the commit. */
    Uni<Transitions.Change> rollBackLocked(Locked l, RolloutState ending, String action, String actor, String reason,
            Instant at, String verdictId) {
        Rollout r = l.rollout();
        r.ending = ending;
        return transitions.record(l, RolloutState.ROLLING_BACK, r.stepIndex, action, actor, reason, at, verdictId,
                null, null).map(e -> new Transitions.Change(List.of(e), transitions.watch(l), true));
    }

    /**
     * Applies a ROLLING_BACK rollout's restore, retrying with backoff until scoring-service takes it (each failure a
     * WARN and a count), then records ROLLED_BACK or ABORTED. Applying the same line-up again changes nothing, so
     * two instances restoring at once, or a restore after a crash, are harmless.
     */
    public Uni<Void> restore(String id) {
        Uni<Void> running = restoreOnce(id).eventually(() -> restoring.remove(id)).memoize().indefinitely();
        Uni<Void> already = restoring.putIfAbsent(id, running);
        if (already != null) {
            return already;
        }
        running.subscribe().with(ok -> {
        }, e -> LOG.warnf("restore of %s not finished: %s", id, e.toString()));
        return running;
    }

    private Uni<Void> restoreOnce(String id) {
        return Panache.withSession(() -> transitions.read(id)).flatMap(l -> {
            if (l.rollout().state != RolloutState.ROLLING_BACK) {
                return Uni.createFrom().voidItem();
            }
            Lineup before = transitions.lineup(l.rollout().lineupBefore);
            String reason = "restore the line-up before rollout " + id;
            return lineups.applyUntilDone(LineupChange.restore(before, reason))
                    .flatMap(after -> inTransaction(() -> transitions.lock(id).flatMap(locked -> {
                        Rollout r = locked.rollout();
                        if (r.state != RolloutState.ROLLING_BACK) {
                            return Uni.createFrom().item(Transitions.Change.NONE);
                        }
                        RolloutState ending = r.ending == null ? RolloutState.ROLLED_BACK : r.ending;
                        return transitions.record(locked, ending, r.stepIndex, "restored", Transitions.AUTOMATIC,
                                "previous line-up restored in scoring-service", transitions.now(), null, null, after)
                                .map(e -> new Transitions.Change(List.of(e), null, false));
                    })))
                    .flatMap(this::publish);
        });
    }

    /** A capacity guardrail's limit as the audit records it, before and after a change. */
    record CapacityValue(String guardrail, double capacity, String period) {
    }

    /**
     * An operator changes a REVIEW_QUEUE_LOAD or STEP_UP_BUDGET guardrail's capacity (and its period, if given): the
     * stored plan takes the new value (validated again), the audit records it before and after with the actor, and
     * the watch is republished, so that every minute the topology judges from then on is judged against it. Allowed
     * while the rollout can still be watched (PENDING included), not once it is rolling back or over.
     *
     * @param period null keeps the guardrail's period
     */
    public Uni<Void> changeCapacity(String id, String guardrail, double capacity, Duration period, String actor,
            String reason) {
        return change(id, l -> {
            Rollout r = l.rollout();
            if (OVER.contains(r.state) || r.state == RolloutState.ROLLING_BACK) {
                throw new IllegalTransitionException(r.state, "change a capacity of");
            }
            PlanGuardrail planned = l.plan().guardrails().stream().filter(g -> g.name().equals(guardrail)).findFirst()
                    .orElseThrow(() -> new GuardrailNotFoundException(id, guardrail));
            if (planned.metric().statistic() != GuardrailMetric.Statistic.LOAD) {
                throw new PlanValidationException("capacity", "guardrail '" + guardrail + "' (" + planned.metric()
                        + ") has no capacity; REVIEW_QUEUE_LOAD and STEP_UP_BUDGET guardrails do");
            }
            Limit before = planned.limit();
            Limit after = Limit.capacity(capacity, period == null ? before.period() : period);
            JsonNode tree = reader.tree(r.plan.getBytes(StandardCharsets.UTF_8), false);
            for (JsonNode g : tree.get("guardrails")) {
                if (guardrail.equals(g.path("name").asText()) && g instanceof ObjectNode o) {
                    o.put("capacity", after.value());
                    o.put("period", Limit.periodText(after.period()));
                }
            }
            RolloutPlan plan = reader.read(tree);
            r.plan = tree.toString();
            Instant now = transitions.now();
            r.updatedAt = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
            Locked changed = new Locked(r, l.steps(), plan);
            String why = "capacity of " + guardrail + ": " + before + " -> " + after + ": " + reason;
            return transitions.auditChange(changed, "capacity", actor, why, now,
                    new CapacityValue(guardrail, before.value(), Limit.periodText(before.period())),
                    new CapacityValue(guardrail, after.value(), Limit.periodText(after.period())))
                    .map(e -> new Transitions.Change(List.of(e), transitions.watch(changed), false));
        });
    }

    // ---- plumbing

    private Uni<Void> change(String id, java.util.function.Function<Locked, Uni<Transitions.Change>> action) {
        return inTransaction(() -> transitions.lock(id).flatMap(l -> action.apply(l))).flatMap(this::publish);
    }

    /** {@code work} in a transaction that also writes the change's events and watch into the outbox. */
    private Uni<Transitions.Change> inTransaction(java.util.function.Supplier<Uni<Transitions.Change>> work) {
        return Panache.withTransaction(() -> work.get().call(this::enqueue));
    }

    /** Within the change's transaction: its events in order, then its watch, into the outbox. */
    Uni<Void> enqueue(Transitions.Change change) {
        return outbox.enqueue(change.events(), change.watch());
    }

    /**
     * After the commit: a relay pass for the events the change wrote (the relay's schedule is the safety net), and a
     * restore if one was decided.
     */
    Uni<Void> publish(Transitions.Change change) {
        if (!change.events().isEmpty() || change.watch() != null) {
            relay.kick();
        }
        if (change.restore() && !change.events().isEmpty()) {
            // Started, not awaited: a restore may retry for as long as scoring-service is down.
            restore(change.events().get(0).getRolloutId());
        }
        return Uni.createFrom().voidItem();
    }

    /** The unique index on active targets refused the insert: another instance created one meanwhile. */
    private static boolean activeTargetTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("rollout_active_")) {
                return true;
            }
        }
        return false;
    }

    static String percent(double share) {
        return String.format(java.util.Locale.ROOT, "%.4g%%", share * 100).replaceAll("\\.?0+%$", "%");
    }
}
