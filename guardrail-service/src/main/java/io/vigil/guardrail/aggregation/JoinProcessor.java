package io.vigil.guardrail.aggregation;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

import io.vigil.contracts.events.v1.DecisionMade;
import io.vigil.contracts.events.v1.OutcomeRecorded;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.aggregation.state.DecisionEntry;
import io.vigil.guardrail.aggregation.state.JoinedOutcome;
import io.vigil.guardrail.aggregation.state.PendingOutcomes;
import io.vigil.guardrail.aggregation.state.UnmatchedOutcome;

/**
 * One task's share of {@link DecisionOutcomeJoin}: decisions and outcomes of the same partitions. Alone it writes the
 * joined outcomes to the joined topic; in the guardrail topology it hands each decision it keeps (its projection,
 * duplicates dropped) and each joined outcome to the child processor instead, as objects, in the same task.
 */
final class JoinProcessor implements Processor<String, byte[], String, Object> {

    private final DecisionOutcomeJoin.Settings settings;
    private final StreamCounters counters;
    private final List<String> joinedChildren;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, DecisionEntry> decisions;
    private KeyValueStore<String, byte[]> expiry;
    private KeyValueStore<String, PendingOutcomes> pending;

    /** @param joinedChildren child processors that get each decision kept and each joined outcome; empty: the topic */
    JoinProcessor(DecisionOutcomeJoin.Settings settings, StreamCounters counters, List<String> joinedChildren) {
        this.settings = settings;
        this.counters = counters;
        this.joinedChildren = List.copyOf(joinedChildren);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.decisions = context.getStateStore(DecisionOutcomeJoin.DECISIONS_STORE);
        this.pending = context.getStateStore(DecisionOutcomeJoin.PENDING_STORE);
        this.expiry = context.getStateStore(DecisionOutcomeJoin.DECISION_EXPIRY_STORE);
        // Stream time, not wall time: a replay expires what the real day would have expired, when it would have.
        context.schedule(settings.expiryInterval(), PunctuationType.STREAM_TIME, this::expire);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        if (topic.equals(settings.decisionsTopic())) {
            onDecision(record.value(), record.timestamp());
        } else {
            onOutcome(record.value());
        }
    }

    private void onDecision(byte[] value, long timestamp) {
        DecisionMade d;
        try {
            d = DecisionMade.parseFrom(value);
        } catch (InvalidProtocolBufferException | NullPointerException e) {
            counters.undecodable().incrementAndGet();
            return;
        }
        String tx = d.getTransactionId();
        DecisionEntry existing = decisions.get(tx);
        if (existing != null) {
            if (existing.getDecision().getDecisionId().equals(d.getDecisionId())) {
                counters.duplicateDecisions().incrementAndGet();
            } else {
                // Two decisions for one transaction: the first one stands, as it does at scoring-service.
                counters.conflictingDecisions().incrementAndGet();
            }
            return;
        }
        DecisionEntry entry = DecisionEntry.newBuilder().setDecision(Projections.of(d)).build();
        // Before the outcomes that waited for it, so the children count the decision first.
        for (String child : joinedChildren) {
            context.forward(new Record<>(tx, entry.getDecision(), timestamp), child);
        }
        PendingOutcomes waiting = pending.get(tx);
        if (waiting != null) {
            pending.delete(tx);
            for (ByteString raw : waiting.getOutcomesList()) {
                try {
                    entry = join(tx, entry, OutcomeRecorded.parseFrom(raw));
                } catch (InvalidProtocolBufferException e) {
                    counters.undecodable().incrementAndGet();
                }
            }
        }
        decisions.put(tx, entry);
        // Indexed by the event's time (scoring-service's clock, like stream time), not the payment's: a checkout with a
        // wrong clock must not keep its projection forever or lose it at once.
        expiry.put(expiryKey(timestamp, tx), EMPTY);
    }

    private static final byte[] EMPTY = new byte[0];

    static String expiryKey(long time, String tx) {
        return String.format("%020d|%s", Math.max(0, Math.floorDiv(time, 60_000L) * 60_000L), tx);
    }

    private void onOutcome(byte[] value) {
        OutcomeRecorded o;
        try {
            o = OutcomeRecorded.parseFrom(value);
        } catch (InvalidProtocolBufferException | NullPointerException e) {
            counters.undecodable().incrementAndGet();
            return;
        }
        String tx = o.getTransactionId();
        DecisionEntry entry = decisions.get(tx);
        if (entry != null) {
            DecisionEntry after = join(tx, entry, o);
            if (after != entry) {
                decisions.put(tx, after);
            }
            return;
        }
        PendingOutcomes waiting = pending.get(tx);
        if (waiting != null) {
            for (ByteString raw : waiting.getOutcomesList()) {
                if (sameOutcome(raw, o)) {
                    counters.duplicateOutcomes().incrementAndGet();
                    return;
                }
            }
        }
        PendingOutcomes.Builder next = waiting == null
                ? PendingOutcomes.newBuilder().setFirstSeenStreamTime(context.currentStreamTimeMs())
                : waiting.toBuilder();
        pending.put(tx, next.addOutcomes(ByteString.copyFrom(value)).build());
        counters.bufferedOutcomes().incrementAndGet();
    }

    /** Emits the joined outcome unless its id was joined before; returns the entry to store. */
    private DecisionEntry join(String tx, DecisionEntry entry, OutcomeRecorded o) {
        if (entry.getJoinedOutcomeIdsList().contains(o.getOutcomeId())) {
            counters.duplicateOutcomes().incrementAndGet();
            return entry;
        }
        long occurred = ProtoTime.toInstant(o.getOccurredAt()).toEpochMilli();
        JoinedOutcome joined = JoinedOutcome.newBuilder()
                .setTransactionId(tx)
                .setDecision(entry.getDecision())
                .setOutcomeId(o.getOutcomeId())
                .setOutcomeKind(o.getKindValue())
                .setOccurredAtMillis(occurred)
                .setAmountMinor(o.getAmount().getAmountMinor())
                .setCurrency(o.getAmount().getCurrency())
                .build();
        if (joinedChildren.isEmpty()) {
            context.forward(new Record<>(tx, joined.toByteArray(), occurred), DecisionOutcomeJoin.JOINED_SINK);
        }
        // In the same task, not through the joined topic: a round trip would put the outcome behind the decisions
        // that followed it by however far the task got meanwhile, which in a replay is many minutes of event time.
        for (String child : joinedChildren) {
            context.forward(new Record<>(tx, joined, occurred), child);
        }
        counters.joined().incrementAndGet();
        return entry.toBuilder().addJoinedOutcomeIds(o.getOutcomeId()).build();
    }

    /**
     * Drops the projections stored more than the retention ago (stream time), oldest first: their outcomes, if any
     * still come, wait and go unmatched. Reads only the expired part of the index.
     */
    private void dropOldDecisions(long streamTime) {
        long cutoff = streamTime - settings.decisionRetention().toMillis();
        if (cutoff <= 0) {
            return;
        }
        List<String> old = new ArrayList<>();
        // Up to "<cutoff minute>|", which sorts before every key of that minute: minutes before it are dropped.
        try (KeyValueIterator<String, byte[]> it = expiry.range(expiryKey(0, ""), expiryKey(cutoff, ""))) {
            while (it.hasNext()) {
                old.add(it.next().key);
            }
        }
        for (String key : old) {
            decisions.delete(key.substring(key.indexOf('|') + 1));
            expiry.delete(key);
            counters.decisionsExpired().incrementAndGet();
        }
    }

    private static boolean sameOutcome(ByteString raw, OutcomeRecorded o) {
        try {
            return OutcomeRecorded.parseFrom(raw).getOutcomeId().equals(o.getOutcomeId());
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    private void expire(long streamTime) {
        dropOldDecisions(streamTime);
        long limit = streamTime - settings.joinWait().toMillis();
        List<KeyValue<String, PendingOutcomes>> expired = new ArrayList<>();
        try (KeyValueIterator<String, PendingOutcomes> all = pending.all()) {
            while (all.hasNext()) {
                KeyValue<String, PendingOutcomes> kv = all.next();
                if (kv.value.getFirstSeenStreamTime() <= limit) {
                    expired.add(kv);
                }
            }
        }
        for (KeyValue<String, PendingOutcomes> kv : expired) {
            pending.delete(kv.key);
            for (ByteString raw : kv.value.getOutcomesList()) {
                UnmatchedOutcome u = UnmatchedOutcome.newBuilder().setTransactionId(kv.key).setOutcome(raw)
                        .setFirstSeenStreamTime(kv.value.getFirstSeenStreamTime()).build();
                context.forward(new Record<>(kv.key, u.toByteArray(), streamTime), DecisionOutcomeJoin.UNMATCHED_SINK);
                counters.unmatched().incrementAndGet();
            }
        }
    }
}
