package io.vigil.cli.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

class RolloutTablesTest {

    static final String DETAIL = """
            {"summary": {"id": "ro-1", "target": {"model_version": "m-2", "policy_version": null},
              "state": "AWAITING_SIGN_OFF", "step_index": 1, "steps": 3, "share": 0.25, "last_verdict": null,
              "created_by": "alice"},
             "steps": [
              {"index": 0, "share": 0.1, "minimum_duration_seconds": 1800, "minimum_exposure": 2000, "sign_off": [],
               "signed": [], "started_at": "2026-03-01T10:00:00Z"},
              {"index": 1, "share": 0.25, "minimum_duration_seconds": 3600, "minimum_exposure": 2000,
               "sign_off": ["risk", "finance"], "signed": [{"role": "risk", "subject": "rita"}], "started_at": null}],
             "guardrails": [{"name": "conversion", "metric": "CONVERSION", "cohort": "country=CA", "margin": "0.5pp",
               "action": "ROLLBACK", "chart": "http://h/rollouts/ro-1/guardrails/conversion/chart.svg"}],
             "audit": [], "latest_verdict": null}
            """;

    @Test
    void showsStepsSignOffsAndTheChartUrl() {
        StringWriter text = new StringWriter();
        RolloutTables.detail(RolloutCommand.parse(DETAIL).asJsonObject(), "http://h", new PrintWriter(text, true));
        String out = text.toString();
        assertTrue(out.contains("Rollout ro-1: model m-2"), out);
        assertTrue(out.contains("State   AWAITING_SIGN_OFF, step 2 of 3 at 25%"), out);
        assertTrue(out.contains("risk✓,finance"), out);
        assertTrue(out.contains("30m"), out);
        assertTrue(out.contains("http://h/rollouts/ro-1/guardrails/conversion/chart.svg"), out);
    }

    @Test
    void formatsSharesAndDurationsForPeople() {
        assertEquals("10%", RolloutTables.percent(0.1));
        assertEquals("0.5%", RolloutTables.percent(0.005));
        assertEquals("2h", RolloutTables.duration(7200));
        assertEquals("1d", RolloutTables.duration(86_400));
        assertEquals("90s", RolloutTables.duration(90));
        assertEquals("model m-2 + policy p-2", RolloutTables.target(RolloutCommand.parse(
                "{\"model_version\": \"m-2\", \"policy_version\": \"p-2\"}").asJsonObject()));
    }
}
