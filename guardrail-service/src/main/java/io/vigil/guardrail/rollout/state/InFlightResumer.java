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
import io.vigil.guardrail.rollout.events.RolloutPublisher;
import io.vigil.guardrail.rollout.store.Rollout;

/**
 * A rollout survives a restart where it was: at start this instance re-publishes the watches of every watched
 * rollout (RUNNING ones keep their step and its start), and every {@code guardrail.rollouts.resume-every} it starts
 * the PENDING ones scoring-service was not there for and restores the ROLLING_BACK ones (idempotent, so several
 * instances doing it at once are harmless).
 */
@ApplicationScoped
class InFlightResumer {

    private static final Logger LOG = Logger.getLogger(InFlightResumer.class);

    private final Vertx vertx;
    private final RolloutService rollouts;
    private final Transitions transitions;
    private final RolloutPublisher publisher;
    private final RolloutConfig config;

    InFlightResumer(Vertx vertx, RolloutService rollouts, Transitions transitions, RolloutPublisher publisher,
            RolloutConfig config) {
        this.vertx = vertx;
        this.rollouts = rollouts;
        this.transitions = transitions;
        this.publisher = publisher;
        this.config = config;
    }

    void start(@Observes StartupEvent start) {
        onSafeContext(this::republishWatches);
        vertx.setPeriodic(config.resumeEvery().toMillis(), config.resumeEvery().toMillis(),
                id -> onSafeContext(this::resume));
    }

    Uni<Void> republishWatches() {
        return Panache.withSession(() -> Rollout.<Rollout>list("state in ?1", List.of(RolloutState.RUNNING,
                RolloutState.PAUSED, RolloutState.AWAITING_SIGN_OFF))
                .flatMap(all -> {
                    Uni<List<RolloutWatch>> watches = Uni.createFrom().item(new java.util.ArrayList<>());
                    for (Rollout r : all) {
                        watches = watches.flatMap(list -> transitions.read(r.id).map(l -> {
                            RolloutWatch w = transitions.watch(l);
                            if (w != null) {
                                list.add(w);
                            }
                            return list;
                        }));
                    }
                    return watches;
                }))
                .flatMap(watches -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (RolloutWatch w : watches) {
                        chain = chain.flatMap(x -> publisher.watch(w));
                    }
                    return chain.invoke(() -> LOG.infof("re-published the watches of %d active rollouts",
                            watches.size()));
                });
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
