package io.vigil.guardrail.rollout.outbox;

import java.time.Instant;
import java.util.UUID;

import io.vigil.guardrail.rollout.store.OutboxEvent;

/** An outbox row as a relay claimed it: what to send, and how many claims it has had (this one included). */
public record RelayedEvent(UUID id, long seq, Kind kind, String key, byte[] payload, Instant occurredAt,
        int attempts) {

    /** Where a row goes. */
    public enum Kind {
        /** {@code RolloutStateChanged} on vigil.rollouts.v1 with CloudEvents headers ({@code ce_id} = the row's id). */
        STATE_CHANGED,
        /** A {@code RolloutWatch} on the compacted topic the stream reads (plain protobuf, no headers). */
        WATCH,
        /** A cohort monitor's {@code VerdictIssued} on vigil.verdicts.v1 ({@code ce_id} = the verdict id). */
        VERDICT
    }

    static RelayedEvent of(OutboxEvent e) {
        return new RelayedEvent(e.id, e.seq, Kind.valueOf(e.kind), e.eventKey, e.payload, e.occurredAt, e.attempts);
    }

    /** Rows of one stream, sent in write order. */
    String stream() {
        return kind + "|" + key;
    }
}
