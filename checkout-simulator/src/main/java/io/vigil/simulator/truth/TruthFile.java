package io.vigil.simulator.truth;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The truth file (JSON Lines): what the simulator injected and when, every payment's ground truth, and the true
 * per-cohort rates per window, so a test can score a detector's delay and false alarms against it. Record types
 * ({@code "type"}): {@code run} (first line: parameters), {@code change} (a scenario change took effect, at simulated
 * time), {@code payment} (transaction id, cohort attributes, true fraud probability and label, the decision the
 * checkout acted on), {@code window} (one cohort in one window: counts and true rates), {@code summary} (last line).
 */
public final class TruthFile implements AutoCloseable {

    private final ObjectMapper json = new ObjectMapper();
    private final BufferedWriter out;

    public TruthFile(Path path) {
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            this.out = Files.newBufferedWriter(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the truth file " + path, e);
        }
    }

    public ObjectNode record(String type, Instant simulatedTime) {
        ObjectNode n = json.createObjectNode().put("type", type);
        if (simulatedTime != null) {
            n.put("time", simulatedTime.toString());
        }
        return n;
    }

    public void write(ObjectNode record) {
        try {
            out.write(json.writeValueAsString(record));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(String type, Instant simulatedTime, Map<String, ?> fields) {
        ObjectNode n = record(type, simulatedTime);
        fields.forEach((k, v) -> n.set(k, json.valueToTree(v)));
        write(n);
    }

    /** Pushes what was written to the file (tests read it back mid-run). */
    void flushForTest() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
