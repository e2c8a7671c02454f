package io.vigil.guardrail.rollout.state;

import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.vigil.guardrail.aggregation.state.RolloutWatch;
import io.vigil.guardrail.rollout.config.RolloutConfig;
import io.vigil.guardrail.rollout.outbox.OutboxRelay;
import io.vigil.guardrail.rollout.outbox.RolloutOutbox;
import io.vigil.guardrail.rollout.store.Rollout;

/**
 * A rollout survives a restart where it was: its state, step and step start are in PostgreSQL, and what it announced
 * is in the outbox until Kafka took it. At start this instance re-publishes the watches of every watched rollout
 * (RUNNING ones keep their step and its start: nothing resets the minimum-duration clock), and every {@code guardrail.rollouts.resume-every} it starts
 * the PENDING ones scoring-service was not there for and restores the ROLLING_BACK ones (idempotent, so several
 * instances doing it at once are harmless).
 */
@ApplicationScoped
class InFlightResumer {

    private static final Logger LOG = Logger.getLogger(InFlightResumer.class);

    private final Vertx vertx;
    private final RolloutService rollouts;
    private final Transitions transitions;
    private final RolloutOutbox outbox;
    private final OutboxRelay relay;
    private final RolloutConfig config;

    InFlightResumer(Vertx vertx, RolloutService rollouts, Transitions transitions, RolloutOutbox outbox,
            OutboxRelay relay, RolloutConfig config) {
        this.vertx = vertx;
        this.rollouts = rollouts;
        this.transitions = transitions;
        this.outbox = outbox;
        this.relay = relay;
        this.config = config;
    }

    void start(@Observes StartupEvent start) {
        onSafeContext(this::republishWatches);
        vertx.setPeriodic(config.resumeEvery().toMillis(), config.resumeEvery().toMillis(),
                id -> onSafeContext(this::resume));
    }

    /**
     * Writes the current watch of every watched rollout into the outbox (after any older one still pending there, so
     * the topic ends with the current one); the watches already reach the topic through the outbox, this repairs a
     * topic that lost them (a wiped or recreated topic, a build before the outbox).
     */
    Uni<Void> republishWatches() {
        return Panache.withTransaction(() -> Rollout.<Rollout>list("state in ?1", List.of(RolloutState.RUNNING,
                RolloutState.PAUSED, RolloutState.AWAITING_SIGN_OFF))
                .flatMap(all -> {
                    Uni<Integer> written = Uni.createFrom().item(0);
                    for (Rollout r : all) {
                        written = written.flatMap(n -> transitions.read(r.id).flatMap(l -> {
                            RolloutWatch w = transitions.watch(l);
                            return w == null ? Uni.createFrom().item(n)
                                    : outbox.enqueue(List.of(), w).replaceWith(n + 1);
                        }));
                    }
                    return written;
                }))
                .invoke(n -> {
                    LOG.infof("re-published the watches of %d active rollouts", n);
                    relay.kick();
                })
                .replaceWithVoid();
    }

    Uni<Void> resume() {
        return Panache.withSession(() -> Rollout.<Rollout>list("state in ?1",
                List.of(RolloutState.PENDING, RolloutState.ROLLING_BACK)))
                .flatMap(all -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Rollout r : all) {
                        if (r.state == RolloutState.ROLLING_BACK) {
                            rollouts.restore(r.id);
                        } else {
                            chain = chain.flatMap(x -> rollouts.start(r.id, Transitions.AUTOMATIC)
                                    .onFailure().recoverWithItem(e -> {
                                        LOG.warnf("rollout %s still PENDING: %s", r.id, e.getMessage());
                                        return null;
                                    }));
                        }
                    }
                    return chain;
                });
    }

    /** Hibernate Reactive wants a safe duplicated Vert.x context; timers and start events do not give one. */
    private void onSafeContext(Supplier<Uni<Void>> work) {
        Context context = VertxContext.getOrCreateDuplicatedContext(vertx);
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(x -> work.get().subscribe().with(ok -> {
        }, e -> LOG.warnf("resuming rollouts failed: %s", e.toString())));
    }
}
