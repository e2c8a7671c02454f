package io.vigil.incident.ingest;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.google.protobuf.InvalidProtocolBufferException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.events.v1.CohortMetricWindow;
import io.vigil.contracts.events.v1.FeatureHealthChanged;
import io.vigil.contracts.events.v1.RolloutStateChanged;
import io.vigil.contracts.events.v1.ServiceStarted;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.InvalidCloudEventException;

/**
 * The five streams incidents are built from (protobuf payloads, CloudEvents binary headers). A record that is not the
 * event its topic carries is counted and skipped, since it cannot be attributed; a failed write (an optimistic-lock
 * conflict with an operator's change, a database hiccup) is retried, then counted and skipped so one record cannot
 * stall its partition.
 */
@ApplicationScoped
class EventConsumers {

    private static final Logger LOG = Logger.getLogger(EventConsumers.class);

    interface Parser<T> {
        T parse(byte[] bytes) throws InvalidProtocolBufferException;
    }

    interface Apply<T> {
        Uni<Boolean> apply(CloudEventHeaders headers, T event);
    }

    private final IncidentIngest ingest;
    private final Counter undecodable;
    private final Counter failed;
    private final Counter applied;

    EventConsumers(IncidentIngest ingest, MeterRegistry registry) {
        this.ingest = ingest;
        this.undecodable = Counter.builder("vigil.incident.events.undecodable")
                .description("records skipped because they are not the event their topic carries").register(registry);
        this.failed = Counter.builder("vigil.incident.events.failed")
                .description("events given up after retries of a failed write").register(registry);
        this.applied = Counter.builder("vigil.incident.events.applied")
                .description("events applied (redeliveries excluded)").register(registry);
    }

    @Incoming("verdicts")
    Uni<Void> verdicts(ConsumerRecord<String, byte[]> record) {
        return consume(record, "vigil.events.v1.VerdictIssued", VerdictIssued::parseFrom, ingest::verdict);
    }

    @Incoming("feature-health")
    Uni<Void> featureHealth(ConsumerRecord<String, byte[]> record) {
        return consume(record, "vigil.events.v1.FeatureHealthChanged", FeatureHealthChanged::parseFrom,
                ingest::featureHealth);
    }

    @Incoming("rollouts")
    Uni<Void> rollouts(ConsumerRecord<String, byte[]> record) {
        return consume(record, "vigil.events.v1.RolloutStateChanged", RolloutStateChanged::parseFrom, ingest::rollout);
    }

    @Incoming("service-lifecycle-in")
    Uni<Void> lifecycle(ConsumerRecord<String, byte[]> record) {
        return consume(record, "vigil.events.v1.ServiceStarted", ServiceStarted::parseFrom, ingest::serviceStarted);
    }

    @Incoming("cohort-metrics")
    Uni<Void> cohortMetrics(ConsumerRecord<String, byte[]> record) {
        return consume(record, "vigil.events.v1.CohortMetricWindow", CohortMetricWindow::parseFrom, ingest::cohortWindow);
    }

    private <T> Uni<Void> consume(ConsumerRecord<String, byte[]> record, String type, Parser<T> parser, Apply<T> apply) {
        CloudEventHeaders headers;
        T event;
        try {
            headers = CloudEventHeaders.readFrom(record.headers());
            if (!type.equals(headers.type())) {
                throw new InvalidCloudEventException(CloudEventHeaders.H_TYPE, "expected " + type);
            }
            if (record.value() == null) {
                throw new IllegalArgumentException("no payload");
            }
            event = parser.parse(record.value());
        } catch (InvalidCloudEventException | InvalidProtocolBufferException | IllegalArgumentException e) {
            return skip(record, e);
        }
        // decoding errors found while applying (a missing event time, an empty rollout id) arrive as failures
        Uni<Boolean> work = Uni.createFrom().deferred(() -> apply.apply(headers, event));
        return work
                .onFailure(IllegalArgumentException.class).recoverWithUni(e -> skip(record, e).replaceWith(false))
                .onFailure().retry().withBackOff(Duration.ofMillis(50), Duration.ofSeconds(2)).atMost(8)
                .onFailure().recoverWithItem(e -> {
                    failed.increment();
                    LOG.errorf("giving up %s %s at %s-%d@%d: %s", type, headers.id(), record.topic(),
                            record.partition(), record.offset(), e.toString());
                    return false;
                })
                .invoke(fresh -> {
                    if (Boolean.TRUE.equals(fresh)) {
                        applied.increment();
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> skip(ConsumerRecord<String, byte[]> record, Throwable e) {
        undecodable.increment();
        LOG.warnf("skipping undecodable record at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                e.getMessage());
        return Uni.createFrom().voidItem();
    }
}
