package io.vigil.guardrail.streams;

import java.time.Duration;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Creates the missing topics at start, before the extension starts Kafka Streams (it waits for
 * {@code quarkus.kafka-streams.topics}). A broker that cannot be reached is logged, not fatal: the extension keeps
 * waiting for the topics, and readiness says the service is not ready.
 */
@ApplicationScoped
public class GuardrailTopicsStartup {

    private static final Logger LOG = Logger.getLogger(GuardrailTopicsStartup.class);

    private final GuardrailTopicsConfig topics;
    private final GuardrailStreamsConfig streams;
    private final String bootstrapServers;
    private final String applicationId;

    GuardrailTopicsStartup(GuardrailTopicsConfig topics, GuardrailStreamsConfig streams,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.kafka-streams.application-id") String applicationId) {
        this.topics = topics;
        this.streams = streams;
        this.bootstrapServers = bootstrapServers;
        this.applicationId = applicationId;
    }

    // Runs before the extension's own start observer (default priority), so the topics are there when it looks.
    void onStart(@Observes @Priority(10) StartupEvent event) {
        if (!streams.createTopics()) {
            return;
        }
        try {
            List<String> created = GuardrailTopics.ensure(bootstrapServers, GuardrailTopics.plan(topics, streams, applicationId),
                    List.of(topics.decisions(), topics.outcomes(), topics.joinedOutcomes()), Duration.ofSeconds(15));
            if (!created.isEmpty()) {
                LOG.infof("created topics %s (%d partitions, replication %d)", created, streams.partitions(),
                        streams.replicationFactor());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("cannot check or create the topology's topics at %s: %s", bootstrapServers, e.toString());
        }
    }
}
