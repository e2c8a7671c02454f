package io.vigil.simulator.outcome;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

import io.vigil.contracts.events.v1.OutcomeRecorded;

/**
 * Outcomes waiting for the simulated clock to reach their event time, released in event-time order (ties in the
 * order they were planned), so the events of one transaction leave in the order they happened. Single-threaded.
 */
public final class OutcomeSchedule {

    private record Pending(Instant at, long sequence, OutcomeRecorded outcome) {
    }

    private final PriorityQueue<Pending> queue = new PriorityQueue<>((a, b) -> {
        int c = a.at().compareTo(b.at());
        return c != 0 ? c : Long.compare(a.sequence(), b.sequence());
    });
    private long sequence;

    public void add(Instant at, OutcomeRecorded outcome) {
        queue.add(new Pending(at, sequence++, outcome));
    }

    /** Removes and returns every outcome due at or before {@code now}, in event-time order. */
    public List<OutcomeRecorded> due(Instant now) {
        List<OutcomeRecorded> out = new ArrayList<>();
        while (!queue.isEmpty() && !queue.peek().at().isAfter(now)) {
            out.add(queue.poll().outcome());
        }
        return out;
    }

    /** Removes and returns everything, in event-time order ({@code --labels-now}). */
    public List<OutcomeRecorded> all() {
        List<OutcomeRecorded> out = new ArrayList<>(queue.size());
        while (!queue.isEmpty()) {
            out.add(queue.poll().outcome());
        }
        return out;
    }

    public int size() {
        return queue.size();
    }
}
