package io.vigil.guardrail.rollout.state;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.contracts.events.v1.VerdictKind;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.rollout.store.Rollout;
import io.vigil.guardrail.rollout.store.StoredVerdict;

/**
 * Acts on a rollout verdict: stores it (once: the verdict id is the key, so a redelivery finds it and does nothing)
 * and, in the same transaction under the rollout's row lock, ROLLBACK starts the rollback, PROMOTE_STEP promotes (or
 * waits for sign-offs, or completes), HOLD and CONTINUE are only stored. A PROMOTE_STEP for another share than the
 * current step's (a late verdict of the previous step) or older than the step is stored and ignored. What the action
 * announces (state changes, the watch) goes into the outbox in the same transaction.
 */
@ApplicationScoped
public class VerdictActions {

    private static final Logger LOG = Logger.getLogger(VerdictActions.class);

    private final Transitions transitions;
    private final RolloutService rollouts;

    VerdictActions(Transitions transitions, RolloutService rollouts) {
        this.transitions = transitions;
        this.rollouts = rollouts;
    }

    /** What was done: DUPLICATE, UNKNOWN_ROLLOUT, STORED, ROLLING_BACK, PROMOTED, ... */
    public Uni<String> act(VerdictIssued v) {
        return Panache.withTransaction(() -> StoredVerdict.<StoredVerdict>findById(v.getVerdictId())
                .flatMap(seen -> {
                    if (seen != null) {
                        return Uni.createFrom().item(new Acted("DUPLICATE", Transitions.Change.NONE));
                    }
                    return Rollout.<Rollout>findById(v.getRolloutId()).flatMap(exists -> exists == null
                            ? Uni.createFrom().item(new Acted("UNKNOWN_ROLLOUT", Transitions.Change.NONE))
                            : transitions.lock(v.getRolloutId()).flatMap(l -> decide(l, v))
                                    .flatMap(acted -> store(v, acted.outcome())
                                            .call(x -> rollouts.enqueue(acted.change())).replaceWith(acted)));
                }))
                .onFailure(e -> !(e instanceof RuntimeException r && r.getMessage() != null
                        && r.getMessage().contains("duplicate key")))
                .recoverWithUni(e -> {
                    // Acting failed (scoring-service down for a promotion): keep the verdict with why; the next
                    // PROMOTE_STEP verdict (every minute) tries again.
                    LOG.warnf("verdict %s on %s not acted on: %s", v.getVerdictId(), v.getRolloutId(), e.toString());
                    return Panache.withTransaction(() -> StoredVerdict.findById(v.getVerdictId())
                            .flatMap(seen -> seen != null ? Uni.createFrom().voidItem()
                                    : store(v, "FAILED: " + e.getMessage())))
                            .replaceWith(new Acted("FAILED", Transitions.Change.NONE));
                })
                .flatMap(acted -> rollouts.publish(acted.change()).replaceWith(acted.outcome()));
    }

    private record Acted(String outcome, Transitions.Change change) {
    }

    private Uni<Acted> decide(Locked l, VerdictIssued v) {
        Rollout r = l.rollout();
        r.lastVerdictId = v.getVerdictId();
        r.lastVerdictKind = v.getKind().name().replace("VERDICT_KIND_", "");
        Instant at = ProtoTime.toInstant(v.getEvaluatedAt());
        if (v.getKind() == VerdictKind.VERDICT_KIND_ROLLBACK) {
            if (!r.state.watched()) {
                return stored("STORED (" + r.state + ")");
            }
            return rollouts.rollBackLocked(l, RolloutState.ROLLED_BACK, "rollback", Transitions.AUTOMATIC,
                    "verdict " + v.getVerdictId() + ": " + v.getReason(), at, v.getVerdictId())
                    .map(c -> new Acted("ROLLING_BACK", c));
        }
        if (v.getKind() == VerdictKind.VERDICT_KIND_PROMOTE_STEP) {
            if (r.state != RolloutState.RUNNING) {
                return stored("STORED (" + r.state + ")");
            }
            var started = l.step().startedAt;
            if (Math.abs(v.getTreatmentShare() - l.step().share) > 1e-9
                    || started != null && at.isBefore(started.toInstant())) {
                return stored("STORED (for another step)");
            }
            int from = r.stepIndex;
            return rollouts.promoteLocked(l, Transitions.AUTOMATIC, "verdict " + v.getVerdictId() + ": "
                    + v.getReason(), at, v.getVerdictId(), false)
                    .map(c -> new Acted(c.events().isEmpty() ? "STORED" : r.state == RolloutState.RUNNING
                            ? "PROMOTED to step " + r.stepIndex : r.state.name(), c))
                    .invoke(a -> LOG.infof("rollout %s: step %d %s after verdict %s", r.id, from, a.outcome(),
                            v.getVerdictId()));
        }
        return stored("STORED");
    }

    private static Uni<Acted> stored(String outcome) {
        return Uni.createFrom().item(new Acted(outcome, Transitions.Change.NONE));
    }

    private Uni<Void> store(VerdictIssued v, String outcome) {
        StoredVerdict s = new StoredVerdict();
        s.verdictId = v.getVerdictId();
        s.rolloutId = v.getRolloutId();
        s.kind = v.getKind().name().replace("VERDICT_KIND_", "");
        s.evaluatedAt = OffsetDateTime.ofInstant(ProtoTime.toInstant(v.getEvaluatedAt()), ZoneOffset.UTC);
        s.treatmentShare = v.getTreatmentShare();
        s.reason = v.getReason();
        s.payload = v.toByteArray();
        s.receivedAt = OffsetDateTime.ofInstant(transitions.now(), ZoneOffset.UTC);
        s.outcome = outcome;
        return s.persist().replaceWithVoid();
    }
}
