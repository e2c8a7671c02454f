package io.vigil.guardrail.rollout.state;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.events.v1.RolloutStateChanged;
import io.vigil.contracts.events.v1.RolloutTarget;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.aggregation.state.RolloutWatch;
import io.vigil.guardrail.rollout.config.RolloutConfig;
import io.vigil.guardrail.rollout.events.WatchMapper;
import io.vigil.guardrail.rollout.plan.PlanReader;
import io.vigil.guardrail.rollout.scoring.Lineup;
import io.vigil.guardrail.rollout.store.AuditEntry;
import io.vigil.guardrail.rollout.store.Rollout;
import io.vigil.guardrail.rollout.store.RolloutStep;

/**
 * Records state changes inside the caller's transaction: checks the transition against {@link RolloutState}'s machine,
 * writes the audit entry (actor, reason, state/step/share and line-up before and after) and builds the
 * {@code RolloutStateChanged} the caller writes into the outbox in the same transaction.
 */
@ApplicationScoped
public class Transitions {

    /** The actor of changes nobody asked for (verdicts, restores, resumes). */
    public static final String AUTOMATIC = "guardrail-service";

    private final PlanReader reader = new PlanReader();
    private final ObjectMapper json;
    private final Clock clock;
    private final RolloutConfig config;

    Transitions(ObjectMapper json, Clock clock, RolloutConfig config) {
        this.json = json;
        this.clock = clock;
        this.config = config;
    }

    /** What a change announces (outbox rows, same transaction) and whether a restore follows the commit. */
    public record Change(List<RolloutStateChanged> events, RolloutWatch watch, boolean restore) {
        public static final Change NONE = new Change(List.of(), null, false);

        public Change and(Change other) {
            List<RolloutStateChanged> all = new java.util.ArrayList<>(events);
            all.addAll(other.events);
            return new Change(all, other.watch != null ? other.watch : watch, restore || other.restore);
        }
    }

    public Instant now() {
        return clock.instant();
    }

    /** The rollout under {@code SELECT ... FOR UPDATE}, with its steps and plan. */
    public Uni<Locked> lock(String id) {
        return Rollout.<Rollout>findById(id, LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> new RolloutNotFoundException(id))
                .flatMap(r -> RolloutStep.<RolloutStep>list("rolloutId", Sort.by("stepIndex"), id)
                        .map(steps -> new Locked(r, steps, plan(r))));
    }

    /** The rollout without a lock (reads). */
    public Uni<Locked> read(String id) {
        return Rollout.<Rollout>findById(id)
                .onItem().ifNull().failWith(() -> new RolloutNotFoundException(id))
                .flatMap(r -> RolloutStep.<RolloutStep>list("rolloutId", Sort.by("stepIndex"), id)
                        .map(steps -> new Locked(r, steps, plan(r))));
    }

    public io.vigil.guardrail.rollout.plan.RolloutPlan plan(Rollout r) {
        try {
            return reader.read(json.readTree(r.plan));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored plan of " + r.id + " is not JSON", e);
        }
    }

    /**
     * Moves the rollout to {@code to} (the step index already set by the caller when it changed) and audits it.
     *
     * @param stepBefore the step before the change (the caller may have moved {@code stepIndex} already)
     */
    public Uni<RolloutStateChanged> record(Locked l, RolloutState to, int stepBefore, String action, String actor,
            String reason, Instant at, String verdictId, Lineup lineupBefore, Lineup lineupAfter) {
        Rollout r = l.rollout();
        RolloutState from = r.state;
        from.to(to, action);
        r.state = to;
        r.updatedAt = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return audit(l, from, stepBefore, action, actor, reason, at, verdictId, lineupBefore, lineupAfter);
    }

    /** Audits a change that keeps the state (a sign-off): same entry and event as a transition. */
    public Uni<RolloutStateChanged> audit(Locked l, RolloutState from, int stepBefore, String action, String actor,
            String reason, Instant at, String verdictId, Lineup lineupBefore, Lineup lineupAfter) {
        return audit(l, from, stepBefore, action, actor, reason, at, verdictId, lineupBefore, lineupAfter, null, null);
    }

    /**
     * Audits a change of something other than state, step and line-up (a guardrail's capacity): its value before and
     * after (JSON) go into the entry; the state stays.
     */
    public Uni<RolloutStateChanged> auditChange(Locked l, String action, String actor, String reason, Instant at,
            Object before, Object after) {
        Rollout r = l.rollout();
        return audit(l, r.state, r.stepIndex, action, actor, reason, at, null, null, null, write(before),
                write(after));
    }

    private Uni<RolloutStateChanged> audit(Locked l, RolloutState from, int stepBefore, String action, String actor,
            String reason, Instant at, String verdictId, Lineup lineupBefore, Lineup lineupAfter, String changeBefore,
            String changeAfter) {
        Rollout r = l.rollout();
        AuditEntry a = new AuditEntry();
        a.changeBefore = changeBefore;
        a.changeAfter = changeAfter;
        a.rolloutId = r.id;
        a.at = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
        a.actor = actor;
        a.action = action;
        a.reason = reason;
        a.stateBefore = from == null ? null : from.name();
        a.stateAfter = r.state.name();
        a.stepBefore = from == null ? null : stepBefore;
        a.stepAfter = r.stepIndex;
        a.shareBefore = from == null ? null : l.shareIn(from, stepBefore);
        a.shareAfter = l.shareIn(r.state, r.stepIndex);
        a.lineupBefore = lineupBefore == null ? null : write(lineupBefore);
        a.lineupAfter = lineupAfter == null ? null : write(lineupAfter);
        a.verdictId = verdictId;
        RolloutStateChanged.Builder e = RolloutStateChanged.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setRolloutId(r.id)
                .setState(r.state.proto())
                .setTarget(RolloutTarget.newBuilder()
                        .setModelVersion(r.modelVersion == null ? "" : r.modelVersion)
                        .setPolicyVersion(r.policyVersion == null ? "" : r.policyVersion))
                .setStepIndex(r.stepIndex)
                .setTreatmentShare(a.shareAfter)
                .setChangedAt(ProtoTime.of(at))
                .setActor(actor)
                .setReason(reason)
                .setVerdictId(verdictId == null ? "" : verdictId);
        if (from != null) {
            e.setPreviousState(from.proto());
        }
        if (lineupBefore != null) {
            e.setLineupBefore(lineupBefore.proto());
        }
        if (lineupAfter != null) {
            e.setLineupAfter(lineupAfter.proto());
        }
        return a.persist().replaceWith(e.build());
    }

    /** The rollout's watch as it stands (active while its state is watched); null for a policy-only rollout. */
    public RolloutWatch watch(Locked l) {
        if (!l.plan().movesModel() || l.stepStarts().isEmpty()) {
            return null;
        }
        return WatchMapper.watch(l.rollout().id, l.plan(), l.stepStarts(), l.rollout().state.watched(),
                config.settle(), config.plannedDecisions());
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    public Lineup lineup(String stored) {
        try {
            return stored == null ? null : json.readValue(stored, Lineup.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored line-up is not readable", e);
        }
    }
}
