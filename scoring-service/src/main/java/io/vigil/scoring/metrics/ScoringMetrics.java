package io.vigil.scoring.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.contracts.events.v1.IdempotencyCheck;
import io.vigil.contracts.scoring.v1.Arm;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.contracts.scoring.v1.FallbackCause;

/**
 * The service's own meters. Counters are created once per tag combination and kept in arrays, so recording a decision
 * looks up an array slot rather than building tags on every call.
 */
@ApplicationScoped
public class ScoringMetrics {

    private static final int DECISIONS = Decision.values().length - 1;
    private static final int ARMS = Arm.values().length - 1;
    private static final int CAUSES = FallbackCause.values().length - 1;

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter[]> decisionsByCohort = new ConcurrentHashMap<>();
    private final Counter[] fallbacks = new Counter[CAUSES];
    private final Counter eventsDropped;
    private final Counter eventsSent;
    private final Counter recordWriteFailures;
    private final Counter replays;
    private final Timer featureFetch;
    private final Timer model;
    private final Timer total;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter[] unverified = new Counter[IdempotencyCheck.values().length];
    private final ConcurrentHashMap<String, Counter> modelErrors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> corruptRecords = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> breakerTransitions = new ConcurrentHashMap<>();

    ScoringMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (FallbackCause c : FallbackCause.values()) {
            if (c != FallbackCause.UNRECOGNIZED && c != FallbackCause.FALLBACK_CAUSE_UNSPECIFIED
                    && c != FallbackCause.FALLBACK_CAUSE_NONE) {
                fallbacks[c.getNumber()] = Counter.builder("vigil.scoring.fallbacks")
                        .description("Score calls answered by the fallback rule, by cause")
                        .tag("cause", c.name()).register(registry);
            }
        }
        eventsDropped = Counter.builder("vigil.scoring.decision.events.dropped")
                .description("Decision events not published: buffer full or Kafka refused them").register(registry);
        eventsSent = Counter.builder("vigil.scoring.decision.events.sent")
                .description("Decision events acknowledged by Kafka").register(registry);
        recordWriteFailures = Counter.builder("vigil.scoring.decision.records.failed")
                .description("Decision records that could not be written to PostgreSQL").register(registry);
        replays = Counter.builder("vigil.scoring.replays")
                .description("Score calls answered with an earlier decision for the same transaction id").register(registry);
        featureFetch = timer("vigil.scoring.feature.fetch", "GetFeatures call to feature-service");
        model = timer("vigil.scoring.model", "Model evaluation and explanation, all arms");
        total = timer("vigil.scoring.total", "Score call inside the service");
        registry.gauge("vigil.scoring.in.flight", inFlight);
        for (IdempotencyCheck c : IdempotencyCheck.values()) {
            if (c.name().startsWith("IDEMPOTENCY_CHECK_UNVERIFIED_")) {
                unverified[c.getNumber()] = Counter.builder("vigil.idempotency.unverified")
                        .description("Decisions answered without PostgreSQL confirming them as the transaction's one "
                                + "decision, by cause")
                        .tag("cause", c.name().substring("IDEMPOTENCY_CHECK_UNVERIFIED_".length()).toLowerCase(
                                java.util.Locale.ROOT))
                        .register(registry);
            }
        }
    }

    /** A decision answered without its claim being checked; {@code cause} is one of the UNVERIFIED_* values. */
    public void idempotencyUnverified(IdempotencyCheck cause) {
        unverified[cause.getNumber()].increment();
    }

    public double idempotencyUnverified(String cause) {
        for (Counter c : unverified) {
            if (c != null && c.getId().getTag("cause").equals(cause)) {
                return c.count();
            }
        }
        throw new IllegalArgumentException("no unverified cause " + cause);
    }

    /** A model evaluation failed; returns how many failures that model has had (for sampled logging). */
    public long modelError(String modelVersion) {
        Counter c = modelErrors.computeIfAbsent(modelVersion, v -> Counter.builder("vigil.scoring.model.errors")
                .description("Model evaluations that threw or gave NaN, by model version")
                .tag("model_version", v).register(registry));
        c.increment();
        return (long) c.count();
    }

    /**
     * feature-service's circuit breaker changed state: a breaker that flaps under steady load costs checkouts their
     * features, so the transitions are counted, not only logged.
     */
    public void featureBreakerTransition(String state) {
        breakerTransitions.computeIfAbsent(state, s -> Counter.builder("vigil.scoring.feature.breaker.transitions")
                .description("State changes of the circuit breaker on feature-service calls, by new state")
                .tag("state", s).register(registry)).increment();
    }

    /** A stored record (decision, model card) that could not be read and was not used. */
    public void corruptRecord(String kind) {
        corruptRecords.computeIfAbsent(kind, k -> Counter.builder("vigil.scoring.corrupt.records")
                .description("Stored records that could not be read, by kind").tag("kind", k).register(registry))
                .increment();
    }

    private Timer timer(String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofNanos(10_000))
                .maximumExpectedValue(java.time.Duration.ofSeconds(1)).register(registry);
    }

    /** Admits a call unless {@code limit} are already in flight; every admitted call must {@link #exit()}. */
    public boolean enter(int limit) {
        while (true) {
            int now = inFlight.get();
            if (now >= limit) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    public void exit() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public void decision(Decision decision, Arm arm, String cohort, FallbackCause cause) {
        Counter[] counters = decisionsByCohort.computeIfAbsent(cohort, c -> new Counter[DECISIONS * ARMS * CAUSES]);
        int slot = (decision.getNumber() * ARMS + arm.getNumber()) * CAUSES + cause.getNumber();
        Counter counter = counters[slot];
        if (counter == null) {
            counter = Counter.builder("vigil.scoring.decisions").description("Score decisions")
                    .tag("decision", decision.name()).tag("arm", arm.name()).tag("cohort", cohort)
                    .tag("fallback_cause", cause.name()).register(registry);
            counters[slot] = counter;
        }
        counter.increment();
        if (cause != FallbackCause.FALLBACK_CAUSE_NONE) {
            fallbacks[cause.getNumber()].increment();
        }
    }

    public void featureFetch(long nanos) {
        featureFetch.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void model(long nanos) {
        model.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void total(long nanos) {
        total.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void eventDropped() {
        eventsDropped.increment();
    }

    public void eventSent() {
        eventsSent.increment();
    }

    public void recordWriteFailed() {
        recordWriteFailures.increment();
    }

    public void replay() {
        replays.increment();
    }

    public double eventsDropped() {
        return eventsDropped.count();
    }

    public double fallbacks(FallbackCause cause) {
        return fallbacks[cause.getNumber()].count();
    }
}
