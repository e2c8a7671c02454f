package io.vigil.guardrail.streams;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.apache.kafka.streams.Topology;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.apache.kafka.streams.state.Stores;

import io.vigil.guardrail.aggregation.GuardrailTopology;
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
            StreamCounters counters, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        int partitions = GuardrailTopics.partitionsOf(bootstrapServers, topics.decisions(), Duration.ofSeconds(15))
                .orElse(streams.partitions());
        return GuardrailTopology.build(topicsOf(topics), settingsOf(streams, labels, partitions), counters,
                Stores::persistentKeyValueStore);
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
