package io.vigil.guardrail.rollout.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vigil.guardrail.aggregation.WatchedRollout;
import io.vigil.guardrail.aggregation.state.RolloutWatch;
import io.vigil.guardrail.evaluation.Guardrail;
import io.vigil.guardrail.evaluation.GuardrailAction;
import io.vigil.guardrail.evaluation.GuardrailMetric;
import io.vigil.guardrail.rollout.plan.CapacityDefaults;
import io.vigil.guardrail.rollout.plan.PlanReader;
import io.vigil.guardrail.rollout.plan.PlanReaderTest;
import io.vigil.guardrail.rollout.plan.RolloutPlan;

class WatchMapperTest {

    private static final long T0 = 1_767_225_600_000L;
    private final RolloutPlan plan = new PlanReader().readYaml(PlanReaderTest.YAML.getBytes(StandardCharsets.UTF_8));

    @Test
    void mapsThePlanToTheWatchTheTopologyReads() {
        RolloutWatch w = WatchMapper.watch("ro-1", plan, List.of(T0, T0 + 3_600_000), true, Duration.ofMinutes(5),
                200_000);
        assertEquals("ro-1", w.getRolloutId());
        assertEquals("challenger-2", w.getTreatmentModelVersion());
        assertTrue(w.getActive());
        assertEquals(2, w.getSharesCount());
        assertEquals(T0, w.getShares(0).getFromMillis());
        assertEquals(0.01, w.getShares(0).getShare());
        assertEquals(T0 + 3_600_000, w.getShares(1).getFromMillis());
        assertEquals(0.10, w.getShares(1).getShare());
        // the current step's (step 1) minimum duration and exposure
        assertEquals(Duration.ofHours(2).toMillis(), w.getMinimumStepMillis());
        assertEquals(2000, w.getGuardrails(0).getMinimumExposurePerArm());
        assertEquals(300_000, w.getSettleMillis());
        assertEquals(0.05, w.getAlpha());
        assertEquals("conversion-ca-young", w.getGuardrails(0).getName());
        assertEquals("CONVERSION", w.getGuardrails(0).getMetric());
        assertEquals("country=CA & age=18-24", w.getGuardrails(0).getCohort());
        assertEquals(0.005, w.getGuardrails(0).getMargin(), 1e-15);
        assertEquals("ROLLBACK", w.getGuardrails(0).getAction());
        assertEquals(5.0, w.getGuardrails(1).getMargin());
        assertEquals("ALERT", w.getGuardrails(1).getAction());

        // The topology's own reading of it: same guardrails, the share in force at each time.
        WatchedRollout read = WatchedRollout.of(w);
        assertEquals(GuardrailMetric.CONVERSION, read.guardrails().get(0).metric());
        assertEquals(GuardrailAction.ALERT, read.guardrails().get(1).action());
        assertEquals(0.0, read.shareAt(T0 - 1));
        assertEquals(0.01, read.shareAt(T0 + 1));
        assertEquals(0.10, read.shareAt(T0 + 3_600_000));
        assertEquals(T0 + 3_600_000, read.stepStart(T0 + 4_000_000));
    }

    @Test
    void mapsCapacitiesCeilingsAndTheStepsSharesForTheProjections() {
        PlanReader reader = new PlanReader();
        RolloutPlan limits = reader.read(reader.withDefaults(reader.tree(PlanReaderTest.LIMITS.getBytes(
                StandardCharsets.UTF_8), true), new CapacityDefaults(1000, 20_000, Duration.ofHours(1))));
        RolloutWatch w = WatchMapper.watch("ro-4", limits, List.of(T0, T0 + 3_600_000), true, Duration.ofMinutes(5),
                1000);
        assertEquals(List.of(0.01, 0.10, 0.25, 1.0), w.getPlannedSharesList());
        assertEquals(1200, w.getGuardrails(2).getLimit());
        assertEquals(Duration.ofHours(1).toMillis(), w.getGuardrails(2).getPeriodMillis());
        assertEquals(0, w.getGuardrails(2).getMargin());
        assertEquals(20_000, w.getGuardrails(3).getLimit());
        assertEquals(0.009, w.getGuardrails(4).getLimit(), 1e-15);
        assertEquals(0, w.getGuardrails(4).getPeriodMillis());
        assertFalse(w.getGuardrails(0).hasLimit());

        WatchedRollout read = WatchedRollout.of(w);
        Guardrail reviews = read.guardrails().get(2);
        assertEquals(GuardrailMetric.REVIEW_QUEUE_LOAD, reviews.metric());
        assertEquals(1200, reviews.limit());
        assertEquals(3_600_000, reviews.periodMillis());
        assertTrue(read.guardrails().get(4).hasCeiling());
        assertTrue(read.guardrails().get(4).labelDelayed());
        assertFalse(Double.isNaN(read.guardrails().get(4).limit()));
        assertTrue(Double.isNaN(read.guardrails().get(0).limit()));
        // Step 1 (10%) is in force: the next step is 25%; in step 0, 10%; the last step's next is all traffic.
        assertEquals(0.25, read.nextShareAt(T0 + 3_600_000));
        assertEquals(0.10, read.nextShareAt(T0 + 1));
        RolloutWatch last = WatchMapper.watch("ro-5", limits, List.of(T0, T0 + 1, T0 + 2), true,
                Duration.ofMinutes(5), 1000);
        assertEquals(1.0, WatchedRollout.of(last).nextShareAt(T0 + 10));
    }

    @Test
    void keepsStepStartsStrictlyIncreasingWhenTwoPromotionsShareAMillisecond() {
        RolloutWatch w = WatchMapper.watch("ro-2", plan, List.of(T0, T0, T0), false, Duration.ofMinutes(5), 1000);
        assertEquals(List.of(T0, T0 + 1, T0 + 2), w.getSharesList().stream().map(s -> s.getFromMillis()).toList());
        WatchedRollout.of(w);
        assertEquals(false, w.getActive());
    }

    @Test
    void refusesAPolicyOnlyRolloutWhichHasNoTreatmentArm() {
        RolloutPlan policyOnly = new PlanReader().readYaml(PlanReaderTest.YAML.replace("  model_version: challenger-2\n",
                "").getBytes(StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> WatchMapper.watch("ro-3", policyOnly, List.of(T0), true,
                Duration.ofMinutes(5), 1000));
    }
}
