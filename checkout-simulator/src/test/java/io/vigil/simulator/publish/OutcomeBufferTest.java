package io.vigil.simulator.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.vigil.contracts.events.v1.OutcomeRecorded;

/** The buffer's policy with a scripted sender standing in for Kafka (pure logic; the real broker is in the stack test). */
class OutcomeBufferTest {

    /** Acknowledges while up, refuses while down; records what it acknowledged, in order. */
    static final class ScriptedSender implements OutcomeBuffer.Sender {
        volatile boolean up = true;
        final List<String> delivered = Collections.synchronizedList(new ArrayList<>());

        @Override
        public CompletableFuture<?> send(OutcomeRecorded o) {
            if (!up) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker down"));
            }
            delivered.add(o.getOutcomeId());
            return CompletableFuture.completedFuture(null);
        }
    }

    static OutcomeRecorded outcome(int i) {
        return OutcomeRecorded.newBuilder().setOutcomeId("o-" + i).setTransactionId("tx-" + (i % 3)).build();
    }

    @Test
    void shouldRetryWhileKafkaIsDownAndDeliverInOrderAfterwards() throws Exception {
        ScriptedSender sender = new ScriptedSender();
        sender.up = false;
        OutcomeBuffer buffer = new OutcomeBuffer(sender, 100, 4, Duration.ofMillis(200));
        for (int i = 0; i < 10; i++) {
            assertTrue(buffer.offer(outcome(i)));
        }
        Thread.sleep(300);
        assertTrue(buffer.counts().failedAttempts() >= 1, "tried and failed while down");
        assertEquals(0, buffer.counts().sent());
        sender.up = true;
        buffer.close(Duration.ofSeconds(10));

        OutcomeBuffer.Counts c = buffer.counts();
        assertEquals(10, c.sent());
        assertEquals(4, c.delayed(), "the first window failed and was retried");
        assertEquals(0, c.dropped());
        assertEquals(0, c.undelivered());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add("o-" + i);
        }
        assertEquals(expected, sender.delivered, "in the order offered, retries included");
    }

    @Test
    void shouldDropAndCountWhenFullAndCountWhatNeverLeft() {
        ScriptedSender sender = new ScriptedSender();
        sender.up = false;
        OutcomeBuffer buffer = new OutcomeBuffer(sender, 5, 2, Duration.ofMillis(50));
        int accepted = 0;
        for (int i = 0; i < 8; i++) {
            accepted += buffer.offer(outcome(i)) ? 1 : 0;
        }
        assertEquals(5, accepted);
        assertFalse(buffer.offer(outcome(99)));
        buffer.close(Duration.ofMillis(300));

        OutcomeBuffer.Counts c = buffer.counts();
        assertEquals(9, c.offered());
        assertEquals(4, c.dropped());
        assertEquals(5, c.undelivered(), "still waiting when the run closed: counted, not lost silently");
        assertEquals(0, c.sent());
    }
}
