package io.vigil.cli.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import io.vigil.cli.testsupport.CannedGuardrail;

/**
 * {@code vigil analyze}: the request each subcommand sends and the table it prints, against a JDK HTTP server
 * answering as guardrail-service does (the answers themselves are checked in guardrail-service's
 * LedgerAnalysesTest). Seed 000's impact: 3,720 incorrect approvals of 120,000 against 2.0%.
 */
class AnalyzeCommandTest {

    static final String IMPACT = """
            {"cohort":"country=CA & customer_age_band=18-24","metric":"incorrect-approval",
             "window":{"from":"2026-11-27T00:00:00Z","to":"2026-11-27T09:00:00Z"},"n":120000,"events":3720,
             "denominator":"approved payments of country=CA & customer_age_band=18-24 in the window",
             "rate":0.031,"rate_ci":{"lower":0.03003429522184768,"upper":0.031995731220056244,"confidence":0.95},
             "baseline":{"source":"given","rate":0.02},"expected":2400.0,"excess":1320.0,
             "excess_ci":{"lower":1204.1154266217218,"upper":1439.487746406749,"confidence":0.95},
             "average_amount_usd":85.0,"money_at_stake_usd":112200.0,
             "money_at_stake_ci":{"lower":102349.8,"upper":122356.5,"confidence":0.95},"site_n":1000000}
            """;

    static final String EMPTY = """
            {"cohort":"country=CA","metric":"incorrect-approval",
             "window":{"from":"2026-11-10T00:00:00Z","to":"2026-11-11T00:00:00Z"},"n":0,"events":0,
             "denominator":"approved payments of country=CA in the window","site_n":0,
             "note":"no approved payments of this cohort in the window: no rate"}
            """;

    static final String PROBLEM = """
            {"type":"about:blank","title":"Bad Request","status":400,
             "detail":"threshold: must lie strictly between 0 and 1, got 1.5","field":"threshold"}
            """;

    CannedGuardrail guardrail;

    @BeforeEach
    void start() throws IOException {
        guardrail = new CannedGuardrail(IMPACT);
    }

    @AfterEach
    void stop() {
        guardrail.close();
    }

    /** Each request's path and query (percent-decoded). */
    List<String> seen() {
        return guardrail.requests().stream().map(CannedGuardrail.Request::decodedTarget).toList();
    }

    CannedGuardrail.Run run(String... args) {
        return guardrail.run("t0k", args);
    }

    @Test
    void impactAsksForTheCohortAndPrintsTheExcessWithItsInterval() {
        CannedGuardrail.Run r = run("analyze", "impact", "--cohort", "country=CA,age=18-24", "--metric", "incorrect-approval",
                "--from", "2026-11-27T00:00:00Z", "--to", "2026-11-27T09:00:00Z", "--baseline-rate", "0.02");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("/analyses/impact?cohort=country=CA,age=18-24&from=2026-11-27T00:00:00Z"
                + "&to=2026-11-27T09:00:00Z&metric=incorrect-approval&baseline_rate=0.02"), seen());
        assertEquals(List.of("Bearer t0k"),
                guardrail.requests().stream().map(CannedGuardrail.Request::authorization).toList());
        assertTrue(r.out().contains("events                 3,720 of 120,000"), r.out());
        assertTrue(r.out().contains("rate                   3.10% [3.00%, 3.20%]"), r.out());
        assertTrue(r.out().contains("excess harmed          1,320 [1,204, 1,439]"), r.out());
        assertTrue(r.out().contains("money at stake (USD)   112,200 [102,350, 122,357]"), r.out());
        assertTrue(r.out().contains("baseline               2.00% (given)"), r.out());
    }

    @Test
    void anEmptyWindowPrintsNEqualsZeroAndNoRate() {
        guardrail.answer(200, EMPTY);
        CannedGuardrail.Run r = run("analyze", "impact", "--cohort", "country=CA");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("n = 0"), r.out());
        assertTrue(r.out().contains("rate                   - "), r.out());
        assertTrue(r.out().contains("note: no approved payments of this cohort in the window: no rate"), r.out());
    }

    @Test
    void aRefusalPrintsTheProblemAndItsFieldWithExitOne() {
        guardrail.answer(400, PROBLEM);
        CannedGuardrail.Run r = run("analyze", "what-if", "--threshold", "1.5", "--current", "0.6");
        assertEquals(1, r.exit());
        assertEquals(List.of("/analyses/what-if?threshold=1.5&current_threshold=0.6"), seen());
        assertTrue(r.err().contains("400 threshold: must lie strictly between 0 and 1, got 1.5 (field threshold)"),
                r.err());
    }

    @Test
    void missingRequiredOptionsAreUsageErrorsWithoutARequest() {
        assertEquals(2, run("analyze", "what-if", "--threshold", "0.5").exit());
        assertEquals(2, run("analyze", "funnel").exit());
        assertEquals(2, run("analyze").exit());
        assertEquals(List.of(), seen());
    }

    @Test
    void aSmallNegativeBoundPrintsAsZeroNotMinusZero() {
        assertEquals("0", AnalyzeTables.noNegativeZero("-0"));
        assertEquals("0.0", AnalyzeTables.noNegativeZero("-0.0"));
        assertEquals("-1", AnalyzeTables.noNegativeZero("-1"));
        assertEquals("-0.5", AnalyzeTables.noNegativeZero("-0.5"));
    }

    @Test
    void jsonOutputIsTheServicesAnswerAsItCame() {
        CannedGuardrail.Run r = run("analyze", "impact", "--output", "json");
        assertEquals(0, r.exit());
        assertEquals(IMPACT.strip(), r.out().strip());
    }

    @Test
    void funnelNamesTheBrokenStep() {
        guardrail.answer(200, """
                {"cohort":"all decisions","window":{"from":"2026-11-20T00:00:00Z","to":"2026-11-21T00:00:00Z"},
                 "at":"2026-11-20T12:00:00Z","n":2000,"denominator":"sessions","steps":["scored","approved or passed step-up"],
                 "channels":[{"channel":"voice","before":[1000,991],"after":[1000,958],
                   "steps":[{"step":"approved or passed step-up",
                     "before":{"n":1000,"events":991,"rate":0.991,"ci":{"lower":0.983,"upper":0.995,"confidence":0.95}},
                     "after":{"n":1000,"events":958,"rate":0.958,"ci":{"lower":0.944,"upper":0.969,"confidence":0.95}},
                     "change":-0.033,"change_ci":{"lower":-0.0467,"upper":-0.0193,"confidence":0.95},
                     "significant_drop":true}],
                   "broken_step":"approved or passed step-up"}],
                 "broken_channel":"voice","broken_step":"approved or passed step-up"}
                """);
        CannedGuardrail.Run r = run("analyze", "funnel", "--at", "2026-11-20T12:00:00Z");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("broken: voice / approved or passed step-up"), r.out());
        assertTrue(r.out().contains("99.10% of 1,000"), r.out());
        assertTrue(r.out().contains("-3.30 pp  [-4.67 pp, -1.93 pp]"), r.out());
        assertTrue(r.out().contains("<- dropped"), r.out());
    }
}
