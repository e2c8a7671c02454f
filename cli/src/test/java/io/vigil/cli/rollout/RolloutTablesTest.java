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

    static final String LIMITS = """
            {"summary": {"id": "ro-2", "target": {"model_version": "m-3"}, "state": "RUNNING", "step_index": 0,
              "steps": 2, "share": 0.1, "created_by": "alice"},
             "steps": [],
             "guardrails": [
              {"name": "review-queue", "metric": "REVIEW_QUEUE_LOAD", "cohort": "", "margin": null,
               "limit": "1800 per 1h", "limit_value": 1800, "period_seconds": 3600, "action": "ALERT",
               "chart": "http://h/rollouts/ro-2/guardrails/review-queue/chart.svg"},
              {"name": "chargebacks", "metric": "CHARGEBACK_RATE", "cohort": "", "margin": null, "limit": "0.9%",
               "limit_value": 0.009, "period_seconds": null, "action": "ROLLBACK", "chart": "http://h/c.svg"}],
             "audit": [],
             "latest_verdict": {"verdict_id": "ro-2@1", "kind": "HOLD", "evaluated_at": "2026-03-01T11:00:00Z",
              "treatment_share": 0.1, "reason": "promotion would exceed a limit", "evidence": [
               {"guardrail": "review-queue", "judgement": "INCONCLUSIVE", "estimate": -0.006, "harm_lower": -0.0097,
                "harm_upper": -0.0019, "margin": 0, "treatment_exposure": 6000, "control_exposure": 54000,
                "missing": "promotion to 50% would overload the review queue",
                "limit": {"limit": 1800, "period_seconds": 3600, "decisions_per_period": 60000, "projections": [
                  {"share": 0.1, "estimate": 1440, "lower": 1221.4, "upper": 1683.3},
                  {"share": 0.5, "estimate": 2400, "lower": 1950.8, "upper": 2911.1}]}},
               {"guardrail": "chargebacks", "judgement": "INCONCLUSIVE", "estimate": -0.004, "harm_lower": -0.009,
                "harm_upper": 0.01, "margin": 0, "treatment_exposure": 1000, "control_exposure": 1000,
                "limit": {"limit": 0.009, "period_seconds": 0, "decisions_per_period": 0, "projections": [
                  {"share": 1, "estimate": 0.0049, "lower": 0.0001, "upper": 0.019}]}}]}}
            """;

    @Test
    void showsCapacitiesCeilingsAndWhatWasProjectedAgainstThem() {
        StringWriter text = new StringWriter();
        RolloutTables.detail(RolloutCommand.parse(LIMITS).asJsonObject(), "http://h", new PrintWriter(text, true));
        String out = text.toString();
        assertTrue(out.contains("capacity 1800 per 1h"), out);
        assertTrue(out.contains("ceiling 0.9%"), out);
        assertTrue(out.contains("per 1h at shares 10%: 1440 [1221, 1683], 50%: 2400 [1951, 2911] against capacity "
                + "1800"), out);
        assertTrue(out.contains("treatment's projected rate 0.49% [0.01%, 1.9%] against ceiling 0.9%"), out);
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
