package io.vigil.guardrail.monitor.counting;

import java.util.List;

/**
 * Where the stream's monitor counts go (PostgreSQL in the service, so every replica's evaluator reads the same
 * history and a restart keeps it). Called on the stream thread; a failure is retried with the next flush.
 */
public interface MonitorCountSink {

    /**
     * Stores the counts (each replaces the row of its monitor, bucket and partition) and how far in event time the
     * partition's task has counted (its stream time).
     */
    void write(List<MonitorCount> counts, int partition, long streamTimeMillis) throws Exception;
}
