package io.vigil.features.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.google.protobuf.InvalidProtocolBufferException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.events.v1.FeatureUpdate;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.InvalidCloudEventException;
import io.vigil.eventing.ProtoTime;
import io.vigil.features.config.FeaturesConfig;
import io.vigil.features.contract.EntityKind;
import io.vigil.features.contract.RawValues;

/**
 * Consumes vigil.feature-updates.v1. The CloudEvents id is the update's event id, so a redelivered or replayed record
 * is recognised and changes nothing. A record that is no valid FeatureUpdate is counted and skipped (it cannot be
 * attributed to an entity); a database failure is retried, then counted and skipped so one bad record cannot stall the
 * partition.
 */
@ApplicationScoped
class FeatureUpdatesConsumer {

    private static final Logger LOG = Logger.getLogger(FeatureUpdatesConsumer.class);
    private static final String UPDATE_TYPE = "vigil.events.v1.FeatureUpdate";

    private final FeatureIngestor ingestor;
    private final FeaturesConfig config;
    private final java.time.Clock clock;
    private final Counter undecodable;
    private final Counter failed;

    FeatureUpdatesConsumer(FeatureIngestor ingestor, FeaturesConfig config, MeterRegistry registry, java.time.Clock clock) {
        this.ingestor = ingestor;
        this.config = config;
        this.clock = clock;
        this.undecodable = Counter.builder("vigil.feature.updates.undecodable")
                .description("Kafka records on vigil.feature-updates.v1 that are no valid FeatureUpdate").register(registry);
        this.failed = Counter.builder("vigil.feature.updates.failed")
                .description("Kafka feature updates given up after retries of a failed write").register(registry);
    }

    @Incoming("feature-updates")
    Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        io.vigil.features.ingest.FeatureUpdate update;
        CloudEventHeaders headers;
        try {
            headers = CloudEventHeaders.readFrom(record.headers());
            if (!UPDATE_TYPE.equals(headers.type())) {
                throw new InvalidCloudEventException(CloudEventHeaders.H_TYPE, "expected " + UPDATE_TYPE);
            }
            update = decode(headers.id(), FeatureUpdate.parseFrom(record.value()));
            if (update.eventTime().isAfter(clock.instant().plus(config.ingest().maxClockSkew()))) {
                throw new IllegalArgumentException("event_time " + update.eventTime() + " is in the future beyond the allowed skew");
            }
        } catch (InvalidCloudEventException | InvalidProtocolBufferException | IllegalArgumentException e) {
            undecodable.increment();
            LOG.warnf("skipping undecodable record at %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return Uni.createFrom().voidItem();
        }
        return ingestor.ingest(List.of(update), headers.source())
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2))
                .atMost(config.ingest().maxRetries())
                .onFailure().recoverWithItem(e -> {
                    failed.increment();
                    LOG.errorf("giving up feature update %s at %s-%d@%d: %s", headers.id(), record.topic(),
                            record.partition(), record.offset(), e.toString());
                    return null;
                })
                .replaceWithVoid();
    }

    static io.vigil.features.ingest.FeatureUpdate decode(String eventId, FeatureUpdate p) {
        if (p.getProducer().isBlank()) {
            throw new IllegalArgumentException("producer is empty");
        }
        EntityKind kind = EntityKind.of(p.getEntity().getType());
        if (kind == null) {
            throw new IllegalArgumentException("entity.type is " + p.getEntity().getType());
        }
        if (p.getEntity().getId().isBlank()) {
            throw new IllegalArgumentException("entity.id is empty");
        }
        if (!p.hasEventTime()) {
            throw new IllegalArgumentException("event_time is missing");
        }
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        // sorted, so the stored raw payload of a record is the same on every delivery
        new java.util.TreeMap<>(p.getFieldsMap()).forEach((k, v) -> fields.put(k, RawValues.fromProto(v)));
        return new io.vigil.features.ingest.FeatureUpdate(eventId, p.getProducer(), kind, p.getEntity().getId(),
                ProtoTime.toInstant(p.getEventTime()), fields, p.getAttributesMap());
    }
}
