package io.vigil.guardrail.rollout.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vigil.guardrail.evaluation.GuardrailAction;
import io.vigil.guardrail.evaluation.GuardrailMetric;

public class PlanReaderTest {

    public static final String YAML = """
            target:
              model_version: challenger-2
              policy_version: p-2
            alpha: 0.05
            reason: relaunch after the fix
            steps:
              - share: 0.01
                minimum_duration: 30m
                minimum_exposure: 500
              - share: 0.10
                minimum_duration: PT2H
                minimum_exposure: 2000
              - share: 0.25
                minimum_duration: 1d
                minimum_exposure: 5000
                sign_off: [risk, finance, payments]
              - share: 1
                minimum_duration: 1h
                minimum_exposure: 5000
            guardrails:
              - name: conversion-ca-young
                metric: CONVERSION
                cohort: "age=18-24 & country=CA"
                margin: 0.5pp
                direction: lower_is_worse
                action: ROLLBACK
              - name: latency
                metric: score_p99_latency
                margin: 5ms
                action: ALERT
            """;

    private final PlanReader reader = new PlanReader();

    @Test
    void readsAYamlPlanIntoMetricUnits() {
        RolloutPlan plan = reader.readYaml(YAML.getBytes(StandardCharsets.UTF_8));
        assertEquals("challenger-2", plan.modelVersion());
        assertEquals("p-2", plan.policyVersion());
        assertEquals(4, plan.steps().size());
        assertEquals(0.10, plan.steps().get(1).share());
        assertEquals(Duration.ofHours(2), plan.steps().get(1).minimumDuration());
        assertEquals(Duration.ofDays(1), plan.steps().get(2).minimumDuration());
        assertEquals(List.of("risk", "finance", "payments"), plan.steps().get(2).signOff());
        assertEquals(1.0, plan.steps().get(3).share());
        PlanGuardrail conversion = plan.guardrails().get(0);
        assertEquals(GuardrailMetric.CONVERSION, conversion.metric());
        // canonical order: country before age (DecisionAttribute order)
        assertEquals("country=CA & age=18-24", conversion.cohort());
        assertEquals(0.005, conversion.margin().inMetricUnits(), 1e-12);
        assertEquals(GuardrailAction.ROLLBACK, conversion.action());
        PlanGuardrail latency = plan.guardrails().get(1);
        assertEquals(GuardrailMetric.SCORE_P99_LATENCY, latency.metric());
        assertEquals("", latency.cohort());
        assertEquals(5.0, latency.margin().inMetricUnits());
        assertEquals("relaunch after the fix", plan.reason());
    }

    @Test
    void readsTheSamePlanFromJson() {
        String json = """
                {"target": {"model_version": "challenger-2"},
                 "steps": [{"share": 0.1, "minimum_duration": "10m", "minimum_exposure": 100}],
                 "guardrails": [{"name": "decline", "metric": "DECLINE_RATE", "margin": "50bp"}]}
                """;
        RolloutPlan plan = reader.readJson(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(0.005, plan.guardrails().get(0).margin().inMetricUnits(), 1e-12);
        assertEquals(GuardrailAction.ROLLBACK, plan.guardrails().get(0).action());
        assertEquals(0.05, plan.alpha());
        assertEquals(null, plan.policyVersion());
    }

    /** The plan above with a review-queue capacity, a step-up budget left to the defaults and a chargeback ceiling. */
    public static final String LIMITS = YAML + """
              - name: review-queue
                metric: REVIEW_QUEUE_LOAD
                capacity: 1200
                period: hour
                action: ALERT
              - name: step-ups
                metric: STEP_UP_BUDGET
              - name: chargebacks
                metric: CHARGEBACK_RATE
                ceiling: 0.9%
            """;

    static final CapacityDefaults DEFAULTS = new CapacityDefaults(1000, 20_000, Duration.ofHours(1));

    private RolloutPlan withDefaults(String yaml) {
        return reader.read(reader.withDefaults(reader.tree(yaml.getBytes(StandardCharsets.UTF_8), true), DEFAULTS));
    }

    @Test
    void readsCapacitiesAndACeilingAndFillsTheConfiguredCapacityWhereThePlanNamesNone() {
        RolloutPlan plan = withDefaults(LIMITS);
        PlanGuardrail reviews = plan.guardrails().get(2);
        assertEquals(GuardrailMetric.REVIEW_QUEUE_LOAD, reviews.metric());
        assertEquals(null, reviews.margin());
        assertEquals(0, reviews.marginInMetricUnits());
        assertEquals(new Limit(1200, Duration.ofHours(1), "1200 per 1h"), reviews.limit());
        assertEquals(GuardrailAction.ALERT, reviews.action());
        PlanGuardrail stepUps = plan.guardrails().get(3);
        assertEquals(new Limit(20_000, Duration.ofHours(1), "20000 per 1h"), stepUps.limit());
        PlanGuardrail chargebacks = plan.guardrails().get(4);
        assertEquals(0.009, chargebacks.limit().value(), 1e-15);
        assertEquals(null, chargebacks.limit().period());
        assertEquals("0.9%", chargebacks.limit().toString());
        assertEquals(null, chargebacks.margin());
        // A capacity without a period is per the configured period; periods as words or durations.
        assertEquals(new Limit(50, Duration.ofDays(1), "50 per 1d"), withDefaults(LIMITS.replace("capacity: 1200\n"
                + "    period: hour", "capacity: 50\n    period: 1d")).guardrails().get(2).limit());
        assertEquals(Duration.ofHours(1), withDefaults(LIMITS.replace("    period: hour\n", "")).guardrails().get(2)
                .limit().period());
        assertEquals(Duration.ofDays(7), withDefaults(LIMITS.replace("period: hour", "period: week")).guardrails()
                .get(2).limit().period());
        assertEquals(0.009, withDefaults(LIMITS.replace("0.9%", "90bp")).guardrails().get(4).limit().value(), 1e-15);
    }

    static Stream<Arguments> badLimits() {
        return Stream.of(
                Arguments.of("negative capacity", LIMITS.replace("capacity: 1200", "capacity: -5"),
                        "guardrails[2].capacity", "must be a number > 0"),
                Arguments.of("capacity as words", LIMITS.replace("capacity: 1200", "capacity: lots"),
                        "guardrails[2].capacity", "must be a number"),
                Arguments.of("unknown period", LIMITS.replace("period: hour", "period: fortnight"),
                        "guardrails[2].period", "'fortnight' is not a period: hour, day, week"),
                Arguments.of("period under a minute", LIMITS.replace("period: hour", "period: 30s"),
                        "guardrails[2].period", "at least a minute"),
                Arguments.of("period without a capacity", LIMITS.replace("    capacity: 1200\n", ""),
                        "guardrails[2].capacity", "required"),
                Arguments.of("margin on a capacity metric", LIMITS.replace("action: ALERT\n  - name: step-ups",
                        "margin: 0.5pp\n    action: ALERT\n  - name: step-ups"), "guardrails[2].margin",
                        "REVIEW_QUEUE_LOAD is judged against its capacity"),
                Arguments.of("ceiling on a capacity metric", LIMITS.replace("metric: STEP_UP_BUDGET",
                        "metric: STEP_UP_BUDGET\n    ceiling: 1%"), "guardrails[3].ceiling",
                        "STEP_UP_BUDGET takes no ceiling"),
                Arguments.of("capacity on a rate", LIMITS.replace("margin: 0.5pp", "margin: 0.5pp\n    capacity: 10"),
                        "guardrails[0].capacity", "CONVERSION has no capacity"),
                Arguments.of("ceiling on a metric that takes none", LIMITS.replace("margin: 0.5pp", "ceiling: 2%"),
                        "guardrails[0].ceiling", "CONVERSION takes no ceiling; CHARGEBACK_RATE does"),
                Arguments.of("ceiling and margin", LIMITS.replace("ceiling: 0.9%", "ceiling: 0.9%\n    margin: 0.1pp"),
                        "guardrails[4].ceiling", "not both"),
                Arguments.of("ceiling without a unit", LIMITS.replace("ceiling: 0.9%", "ceiling: 0.009"),
                        "guardrails[4].ceiling", "has no unit"),
                Arguments.of("ceiling at 100%", LIMITS.replace("ceiling: 0.9%", "ceiling: 100%"),
                        "guardrails[4].ceiling", "below 100%"),
                Arguments.of("chargebacks with neither", LIMITS.replace("    ceiling: 0.9%\n", ""),
                        "guardrails[4].margin", "required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLimits")
    void refusesALimitThatCannotBeJudgedNamingTheField(String why, String yaml, String field, String words) {
        PlanValidationException e = assertThrows(PlanValidationException.class, () -> withDefaults(yaml));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(words), e.getMessage());
    }

    @Test
    void withoutDefaultsACapacityMetricMustNameItsCapacity() {
        PlanValidationException e = assertThrows(PlanValidationException.class,
                () -> reader.readYaml(LIMITS.getBytes(StandardCharsets.UTF_8)));
        assertEquals("guardrails[3].capacity", e.field());
    }

    static Stream<Arguments> badPlans() {
        return Stream.of(
                Arguments.of("unknown cohort attribute", YAML.replace("age=18-24 & country=CA", "planet=mars"),
                        "guardrails[0].cohort", "unknown cohort attribute 'planet'"),
                Arguments.of("unknown metric", YAML.replace("metric: CONVERSION", "metric: HAPPINESS"),
                        "guardrails[0].metric", "unknown metric 'HAPPINESS'"),
                Arguments.of("margin without a unit", YAML.replace("margin: 0.5pp", "margin: 0.5"),
                        "guardrails[0].margin", "has no unit"),
                Arguments.of("margin as text without a unit", YAML.replace("margin: 0.5pp", "margin: '0.5'"),
                        "guardrails[0].margin", "has no unit"),
                Arguments.of("latency unit on a rate", YAML.replace("margin: 0.5pp", "margin: 5ms"),
                        "guardrails[0].margin", "does not fit CONVERSION"),
                Arguments.of("rate unit on latency", YAML.replace("margin: 5ms", "margin: 5pp"),
                        "guardrails[1].margin", "does not fit SCORE_P99_LATENCY"),
                Arguments.of("wrong direction", YAML.replace("direction: lower_is_worse", "direction: higher_is_worse"),
                        "guardrails[0].direction", "lower_is_worse"),
                Arguments.of("shares that do not increase", YAML.replace("share: 0.25", "share: 0.10"),
                        "steps[2].share", "strictly increase"),
                Arguments.of("share above 1", YAML.replace("share: 1\n", "share: 1.5\n"),
                        "steps[3].share", "within (0, 1]"),
                Arguments.of("share 0", YAML.replace("share: 0.01", "share: 0"), "steps[0].share", "within (0, 1]"),
                Arguments.of("share 1 before the last step", YAML.replace("share: 0.25", "share: 1"),
                        "steps[2].share", "only be the last step"),
                Arguments.of("step without minimum exposure",
                        YAML.replace("    minimum_exposure: 2000\n", ""), "steps[1].minimum_exposure", "required"),
                Arguments.of("zero minimum exposure", YAML.replace("minimum_exposure: 2000", "minimum_exposure: 0"),
                        "steps[1].minimum_exposure", ">= 1"),
                Arguments.of("bad duration", YAML.replace("minimum_duration: 30m", "minimum_duration: soon"),
                        "steps[0].minimum_duration", "not a duration"),
                Arguments.of("share as text", YAML.replace("share: 0.01", "share: a-little"),
                        "steps[0].share", "must be a number"),
                Arguments.of("sign-off role twice", YAML.replace("[risk, finance, payments]", "[risk, risk]"),
                        "steps[2].sign_off[1]", "named twice"),
                Arguments.of("unknown field", YAML.replace("alpha: 0.05", "alpha: 0.05\nbeta: 0.2"), "beta",
                        "unknown field"),
                Arguments.of("unknown step field", YAML.replace("minimum_duration: 30m", "minimum_duration: 30m\n    "
                        + "maximum_duration: 1h"), "steps[0].maximum_duration", "unknown field"),
                Arguments.of("no target", YAML.replace("  model_version: challenger-2\n  policy_version: p-2\n", "  {}\n")
                        .replace("target:\n  {}", "target: {}"), "target", "model_version"),
                Arguments.of("bad version", YAML.replace("challenger-2", "../etc"), "target.model_version", "letters"),
                Arguments.of("alpha out of range", YAML.replace("alpha: 0.05", "alpha: 0.7"), "alpha", "(0, 0.5)"),
                Arguments.of("no guardrails", YAML.substring(0, YAML.indexOf("guardrails:")) + "guardrails: []\n",
                        "guardrails", "at least one"),
                Arguments.of("guardrail name twice", YAML.replace("name: latency", "name: conversion-ca-young"),
                        "guardrails[1].name", "named twice"),
                Arguments.of("unknown action", YAML.replace("action: ALERT", "action: PANIC"), "guardrails[1].action",
                        "unknown value 'PANIC'"),
                Arguments.of("not YAML", "steps: [unclosed", "body", "not valid YAML"),
                Arguments.of("empty", "", "body", "required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPlans")
    void refusesAPlanThatCannotRunNamingTheField(String why, String yaml, String field, String words) {
        PlanValidationException e = assertThrows(PlanValidationException.class,
                () -> reader.readYaml(yaml.getBytes(StandardCharsets.UTF_8)));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(words), e.getMessage());
    }
}
