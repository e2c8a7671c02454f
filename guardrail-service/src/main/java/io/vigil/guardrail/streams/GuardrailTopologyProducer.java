package io.vigil.guardrail.streams;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.apache.kafka.streams.Topology;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.apache.kafka.streams.state.Stores;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.guardrail.aggregation.GuardrailTopology;
import io.vigil.guardrail.aggregation.JoinChild;
import io.vigil.guardrail.monitor.MonitorCatalog;
import io.vigil.guardrail.monitor.config.MonitorConfig;
import io.vigil.guardrail.monitor.counting.MonitorFold;
import io.vigil.guardrail.monitor.store.MonitorStore;
import io.vigil.guardrail.aggregation.StreamCounters;
import io.vigil.guardrail.evaluation.LabelMaturity;

/**
 * Hands guardrail-service's topology to the quarkus-kafka-streams extension, which runs it (start once the topics
 * exist, close on shutdown, health, metrics). RocksDB stores with changelogs; names and waits from config.
 */
@ApplicationScoped
public class GuardrailTopologyProducer {

    @Produces
    @Singleton
    StreamCounters counters() {
        return new StreamCounters();
    }

    /**
     * Built after {@link GuardrailTopicsStartup} made sure the topics exist (the extension creates Kafka Streams in its
     * own start observer), so the decisions topic's real partition count is known: a rollout minute is judged once
     * every one of them has passed it.
     */
    @Produces
    @Singleton
    Topology topology(GuardrailTopicsConfig topics, GuardrailStreamsConfig streams, GuardrailLabelsConfig labels,
            StreamCounters counters, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            MonitorConfig monitors, MonitorCatalog catalog, MonitorStore monitorStore,
            MonitorFold.Counters monitorCounters) {
        int partitions = GuardrailTopics.partitionsOf(bootstrapServers, topics.decisions(), Duration.ofSeconds(15))
                .orElse(streams.partitions());
        List<JoinChild> more = monitors.enabled()
                ? List.of(new MonitorFold(catalog, monitorStore, monitors.slowScore().toNanos() / 1000,
                        monitors.flushInterval(), monitors.minuteRetention(), monitors.hourUpdateWindow(),
                        monitorCounters))
                : List.of();
        return GuardrailTopology.build(topicsOf(topics), settingsOf(streams, labels, partitions), counters,
                Stores::persistentKeyValueStore, more);
    }

    @Produces
    @Singleton
    MonitorFold.Counters monitorCounters(MeterRegistry registry) {
        MonitorFold.Counters c = new MonitorFold.Counters();
        registry.gauge("vigil_monitor_counts_late", c.late());
        registry.gauge("vigil_monitor_count_flush_failures", c.sinkFailures());
        registry.gauge("vigil_monitor_counts_flushed", c.flushed());
        return c;
    }

    static GuardrailTopology.Topics topicsOf(GuardrailTopicsConfig t) {
        return new GuardrailTopology.Topics(t.decisions(), t.outcomes(), t.joinedOutcomes(), t.unmatchedOutcomes(),
                t.rolloutWatches(), t.rolloutDeltas(), t.verdicts());
    }

    static GuardrailTopology.Settings settingsOf(GuardrailStreamsConfig s, GuardrailLabelsConfig labels,
            int sourcePartitions) {
        return new GuardrailTopology.Settings(s.joinWait(), s.joinExpiryInterval(), s.minimumSettle(),
                sourcePartitions, s.maxPartitionLag(), s.partitionSilence(), s.deltaFlushInterval(),
                LabelMaturity.parse(labels.maturity(), labels.matureShare()), s.decisionRetention());
    }
}
