package io.vigil.simulator.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import io.vigil.contracts.events.v1.OutcomeKind;
import io.vigil.contracts.events.v1.OutcomeRecorded;
import io.vigil.eventing.EventTopics;
import io.vigil.eventing.ProtoTime;
import io.vigil.testing.kafka.KafkaBroker;

/**
 * A real broker frozen mid-run (SIGSTOP): outcome events wait in the buffer, are retried, and all arrive once it
 * thaws, in their original order, counted as delayed; none lost.
 */
class KafkaOutageTest {

    @Test
    void shouldHoldAndRetryOutcomesWhileTheBrokerIsFrozen() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start();
                KafkaOutcomeSender sender = new KafkaOutcomeSender(broker.bootstrapServers())) {
            OutcomeBuffer buffer = new OutcomeBuffer(sender, 1_000, 50, Duration.ofSeconds(1));
            Instant t0 = Instant.parse("2026-01-05T10:00:00Z");
            buffer.offer(outcome(0, t0));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (buffer.counts().sent() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, buffer.counts().sent(), "delivered while the broker runs");

            broker.pause();
            try {
                for (int i = 1; i <= 20; i++) {
                    buffer.offer(outcome(i, t0.plusSeconds(i)));
                }
                deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
                while (buffer.counts().failedAttempts() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue(buffer.counts().failedAttempts() > 0, "sends failed while frozen: " + buffer.counts());
                assertEquals(1, buffer.counts().sent());
            } finally {
                broker.resume();
            }
            buffer.close(Duration.ofSeconds(60));

            OutcomeBuffer.Counts c = buffer.counts();
            assertEquals(21, c.sent(), c.toString());
            assertEquals(0, c.dropped());
            assertEquals(0, c.undelivered());
            assertTrue(c.delayed() >= 1, c.toString());

            List<Integer> seen = new ArrayList<>();
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "outage-test");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(EventTopics.OUTCOMES));
                deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < deadline && seen.size() < 21) {
                    consumer.poll(Duration.ofMillis(300)).forEach(r -> {
                        try {
                            OutcomeRecorded o = OutcomeRecorded.parseFrom(r.value());
                            seen.add(Integer.parseInt(o.getOutcomeId().substring(2)));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
            }
            // One key, one partition: the order they were offered in, each exactly once (an idempotent producer
            // does not duplicate its own retries; a re-sent event would carry the same outcome id).
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i <= 20; i++) {
                expected.add(i);
            }
            assertEquals(expected, seen.stream().distinct().toList());
        }
    }

    private static OutcomeRecorded outcome(int i, Instant at) {
        return OutcomeRecorded.newBuilder().setOutcomeId("o-" + i).setTransactionId("tx-outage")
                .setKind(OutcomeKind.OUTCOME_KIND_AUTHORIZED).setOccurredAt(ProtoTime.of(at)).build();
    }
}
