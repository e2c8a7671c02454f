package io.vigil.simulator.truth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.simulator.population.PaymentFactory;
import io.vigil.simulator.population.SimulatedPayment;
import io.vigil.simulator.scenario.World;

class CohortWindowsTest {

    @Test
    void shouldWriteAWindowOnceAfterEveryOneOfItsPaymentsWasAnswered() throws Exception {
        Instant start = Instant.parse("2026-01-05T00:00:00Z");
        PaymentFactory factory = new PaymentFactory(1, "w");
        List<SimulatedPayment> first = List.of(factory.create(0, start.plusSeconds(10), World.BASELINE),
                factory.create(1, start.plusSeconds(20), World.BASELINE),
                factory.create(2, start.plusSeconds(3590), World.BASELINE));
        SimulatedPayment second = factory.create(3, start.plusSeconds(3700), World.BASELINE);
        Path file = Files.createTempFile("windows-", ".jsonl");
        CohortWindows windows = new CohortWindows(start, Duration.ofHours(1));
        try (TruthFile truth = new TruthFile(file)) {
            first.forEach(windows::expect);
            windows.expect(second);
            windows.add(first.get(0), Decision.DECISION_APPROVE);
            windows.add(second, Decision.DECISION_DECLINE);
            windows.add(first.get(1), Decision.DECISION_STEP_UP);
            windows.flush(start.plusSeconds(7200), truth);
            assertEquals(0, lines(file, truth).size(), "the 00:59:50 payment is still waiting for its answer");

            windows.add(first.get(2), Decision.DECISION_APPROVE);
            windows.flush(start.plusSeconds(3650), truth);
            List<JsonNode> written = lines(file, truth);
            assertTrue(written.stream().allMatch(n -> n.get("time").asText().equals("2026-01-05T00:00:00Z")),
                    "only window 0: window 1 is not generated to its end");
            List<JsonNode> alls = written.stream().filter(n -> n.get("cohort").asText().equals("all")).toList();
            assertEquals(1, alls.size());
            JsonNode all = alls.get(0);
            assertEquals(3, all.get("payments").asInt());
            assertEquals(2, all.get("approved").asInt());
            assertEquals(1, all.get("step_ups").asInt());
            assertEquals("2026-01-05T01:00:00Z", all.get("window_end").asText());

            windows.flush(null, truth);
            List<JsonNode> end = lines(file, truth);
            assertEquals(2, end.stream().filter(n -> n.get("cohort").asText().equals("all")).count(),
                    "window 1 at the end");
            assertEquals(end.size(), end.stream().map(n -> n.get("time").asText() + n.get("cohort").asText())
                    .distinct().count(), "each cohort's window once");
        }
    }

    private static List<JsonNode> lines(Path file, TruthFile truth) throws Exception {
        truth.flushForTest();
        ObjectMapper json = new ObjectMapper();
        return Files.readAllLines(file).stream().map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
