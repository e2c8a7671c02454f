package io.vigil.guardrail.rollout.events;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.google.protobuf.InvalidProtocolBufferException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.guardrail.rollout.state.VerdictActions;

/**
 * Consumes vigil.verdicts.v1 (consumer group vigil-guardrail-rollout-actions): every rollout verdict is stored and
 * acted on once ({@link VerdictActions}); monitor verdicts and records that are no VerdictIssued are skipped and
 * counted. A database failure is retried a few times, then logged and skipped, so one record cannot stall the
 * partition; the topology issues a fresh verdict every minute anyway.
 */
@ApplicationScoped
class VerdictConsumer {

    private static final Logger LOG = Logger.getLogger(VerdictConsumer.class);

    private final VerdictActions actions;
    private final Counter undecodable;

    VerdictConsumer(VerdictActions actions, MeterRegistry registry) {
        this.actions = actions;
        this.undecodable = Counter.builder("vigil.guardrail.verdicts.undecodable")
                .description("records on vigil.verdicts.v1 that are no valid VerdictIssued").register(registry);
    }

    @Incoming("verdicts")
    Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        VerdictIssued verdict;
        try {
            verdict = VerdictIssued.parseFrom(record.value() == null ? new byte[0] : record.value());
        } catch (InvalidProtocolBufferException e) {
            undecodable.increment();
            LOG.warnf("skipping undecodable verdict at %s-%d@%d", record.topic(), record.partition(), record.offset());
            return Uni.createFrom().voidItem();
        }
        if (verdict.getRolloutId().isEmpty() || verdict.getVerdictId().isEmpty()) {
            // A monitor's verdict, or one that names nothing to act on.
            return Uni.createFrom().voidItem();
        }
        return actions.act(verdict)
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(3)
                .onFailure().recoverWithItem(e -> {
                    LOG.errorf("giving up verdict %s: %s", verdict.getVerdictId(), e.toString());
                    return "FAILED";
                })
                .replaceWithVoid();
    }
}
