package io.vigil.guardrail.rollout.outbox;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Hibernate Reactive work the service starts itself (relay passes, timers) rather than a request: each call runs on a
 * fresh Vert.x duplicated context, so it gets a session and a transaction of its own whoever calls it (a timer, a
 * test thread, a second relay at the same moment). Same shape as incident-service's; a candidate for service-support.
 */
@ApplicationScoped
public class ReactiveTransactions {

    private final Vertx vertx;

    ReactiveTransactions(Vertx vertx) {
        this.vertx = vertx;
    }

    /** {@code work} in a transaction of its own, committed when its Uni completes, rolled back when it fails. */
    public <T> Uni<T> inTransaction(Supplier<Uni<T>> work) {
        return onFreshContext(() -> Panache.withTransaction(work::get));
    }

    /** {@code work} in a session of its own, without a transaction (reads). */
    public <T> Uni<T> inSession(Supplier<Uni<T>> work) {
        return onFreshContext(() -> Panache.withSession(work::get));
    }

    private <T> Uni<T> onFreshContext(Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> Uni.createFrom().<T>deferred(work::get)
                    .subscribe().with(emitter::complete, emitter::fail));
        });
    }
}
