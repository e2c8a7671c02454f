package io.vigil.guardrail.streams;

import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vigil.contracts.events.v1.VerdictKind;
import io.vigil.guardrail.aggregation.StreamCounters;

/**
 * The topology's counters at /q/metrics, as Prometheus counters: outcomes joined, buffered, unmatched, duplicates,
 * undecodable records, invalid watches, decisions counted into rollouts, late deltas, and verdicts by kind. (Kafka
 * Streams' own metrics, lag and commit rates, come through Micrometer's Kafka binder.)
 */
@ApplicationScoped
public class StreamMetrics {

    private final MeterRegistry registry;
    private final StreamCounters counters;

    StreamMetrics(MeterRegistry registry, StreamCounters counters) {
        this.registry = registry;
        this.counters = counters;
    }

    void onStart(@Observes StartupEvent event) {
        counter("vigil.guardrail.outcomes.joined", "outcomes joined with their decision", c -> c.joined().get());
        counter("vigil.guardrail.outcomes.buffered", "outcomes that arrived before their decision and waited",
                c -> c.bufferedOutcomes().get());
        counter("vigil.guardrail.outcomes.unmatched", "outcomes whose decision never came within the join wait",
                c -> c.unmatched().get());
        counter("vigil.guardrail.outcomes.duplicate", "outcomes delivered again and counted once",
                c -> c.duplicateOutcomes().get());
        counter("vigil.guardrail.decisions.duplicate", "decisions delivered again and counted once",
                c -> c.duplicateDecisions().get());
        counter("vigil.guardrail.decisions.conflicting", "second decisions for a transaction (the first stands)",
                c -> c.conflictingDecisions().get());
        counter("vigil.guardrail.records.undecodable", "records that could not be decoded and were skipped",
                c -> c.undecodable().get());
        counter("vigil.guardrail.watches.invalid", "rollout watches that could not be read (per version)",
                c -> c.invalidWatches().get());
        counter("vigil.guardrail.rollout.decisions", "decisions counted into a watched rollout's buckets",
                c -> c.bucketedDecisions().get());
        counter("vigil.guardrail.rollout.deltas.late", "deltas that reached a bucket after its first evaluation",
                c -> c.lateDeltas().get());
        counter("vigil.guardrail.decisions.expired", "decision projections dropped past guardrail.streams.decision-retention",
                c -> c.decisionsExpired().get());
        counter("vigil.guardrail.rollouts.dropped", "finished rollouts whose buckets and watermarks were dropped",
                c -> c.rolloutsDropped().get());
        for (VerdictKind kind : VerdictKind.values()) {
            if (kind == VerdictKind.UNRECOGNIZED || kind.getNumber() == 0) {
                continue;
            }
            FunctionCounter.builder("vigil.guardrail.verdicts", counters, c -> c.verdicts(kind))
                    .description("verdicts issued by this instance").tag("kind", kind.name())
                    .register(registry);
        }
    }

    private void counter(String name, String description, ToDoubleFunction<StreamCounters> value) {
        FunctionCounter.builder(name, counters, value).description(description).register(registry);
    }
}
