package io.vigil.guardrail.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.google.protobuf.InvalidProtocolBufferException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vigil.contracts.events.v1.DecisionMade;
import io.vigil.contracts.events.v1.OutcomeRecorded;

/**
 * Fills the decision ledger from vigil.decisions.v1 and vigil.outcomes.v1. One consumer group per
 * topic ({@code vigil-guardrail-ledger-decisions}, {@code -outcomes}) shared by all replicas, so each partition, hence each event, is written by one replica;
 * each Kafka poll is one batch INSERT ({@link LedgerWriter}), and offsets are committed only after it is written.
 * Records that are no valid event are counted and skipped. A database failure is retried with back-off; a batch that
 * still fails is counted as dropped and skipped, so one poisoned batch cannot stall the ledger for good (the rows are
 * idempotent: re-reading the topics from the start re-fills the gap).
 */
@ApplicationScoped
class LedgerConsumer {

    private static final Logger LOG = Logger.getLogger(LedgerConsumer.class);

    private final LedgerWriter writer;
    private final Counter decisions;
    private final Counter outcomes;
    private final Counter undecodable;
    private final Counter dropped;

    LedgerConsumer(LedgerWriter writer, MeterRegistry registry) {
        this.writer = writer;
        this.decisions = Counter.builder("vigil.guardrail.ledger.rows").tag("table", "decision")
                .description("new rows written to the decision ledger").register(registry);
        this.outcomes = Counter.builder("vigil.guardrail.ledger.rows").tag("table", "outcome")
                .description("new rows written to the decision ledger").register(registry);
        this.undecodable = Counter.builder("vigil.guardrail.ledger.undecodable")
                .description("records on the decision or outcome topic that are no valid event").register(registry);
        this.dropped = Counter.builder("vigil.guardrail.ledger.dropped")
                .description("events not written after retries (database failing)").register(registry);
    }

    @Incoming("ledger-decisions")
    Uni<Void> decisions(KafkaRecordBatch<String, byte[]> batch) {
        List<LedgerRows.DecisionRow> rows = decode(batch, bytes -> LedgerRows.decision(DecisionMade.parseFrom(bytes)));
        return write(batch, rows.size(), writer.writeDecisions(rows), decisions);
    }

    @Incoming("ledger-outcomes")
    Uni<Void> outcomes(KafkaRecordBatch<String, byte[]> batch) {
        List<LedgerRows.OutcomeRow> rows = decode(batch, bytes -> LedgerRows.outcome(OutcomeRecorded.parseFrom(bytes)));
        return write(batch, rows.size(), writer.writeOutcomes(rows), outcomes);
    }

    private Uni<Void> write(KafkaRecordBatch<String, byte[]> batch, int size, Uni<Integer> insert, Counter written) {
        return insert
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(8)
                .invoke(n -> written.increment(n))
                .onFailure().recoverWithItem(e -> {
                    dropped.increment(size);
                    LOG.errorf("ledger: %d events not written after retries: %s", size, e.toString());
                    return 0;
                })
                .chain(n -> Uni.createFrom().completionStage(batch.ack()));
    }

    /** Parses what it can; a record that is no valid event (or lacks its ids) is counted and left out. */
    private <R> List<R> decode(KafkaRecordBatch<String, byte[]> batch, Parser<R> parser) {
        List<R> rows = new ArrayList<>();
        for (KafkaRecord<String, byte[]> r : batch.getRecords()) {
            byte[] value = r.getPayload();
            R row = null;
            try {
                row = value == null ? null : parser.parse(value);
            } catch (InvalidProtocolBufferException e) {
                // counted below
            }
            if (row == null) {
                undecodable.increment();
            } else {
                rows.add(row);
            }
        }
        return rows;
    }

    @FunctionalInterface
    private interface Parser<R> {
        R parse(byte[] bytes) throws InvalidProtocolBufferException;
    }
}
