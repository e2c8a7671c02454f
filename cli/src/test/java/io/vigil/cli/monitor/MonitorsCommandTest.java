package io.vigil.cli.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import io.vigil.cli.testsupport.CannedGuardrail;

/**
 * {@code vigil monitors}: the request it sends and the table it prints, against a JDK HTTP server answering as
 * guardrail-service's /monitors does (the answers themselves are checked in MonitorsResourceTest). Seed 000's cohort
 * in alarm: 3.1% incorrect approvals against a 2.0% baseline.
 */
class MonitorsCommandTest {

    static final String ALARMED = """
            {"id":"incorrect_approval@country=CA,age=18-24","cohort":"country=CA,age=18-24",
             "metric":"incorrect_approval","state":"ALARM","estimate":0.031,"exposure":13300,"baseline":0.02,
             "baseline_source":"SEASONAL","baseline_weeks":4,"band_lower":0.0178,"band_upper":0.0224,
             "log_statistic":12.4,"log_page_threshold":10.9,"on_list":true,"alarm_since":"2026-11-27T00:19:00Z",
             "evaluated_through":"2026-11-27T01:00:00Z"}""";
    static final String QUIET = """
            {"id":"decline_rate@channel=web","cohort":"channel=web","metric":"decline_rate","state":"OK","estimate":0.041,
             "exposure":50000,"baseline":0.04,"baseline_source":"TRAILING","baseline_weeks":0,"band_lower":0.038,
             "band_upper":0.042,"log_statistic":1.2,"log_page_threshold":10.9,"on_list":false,"alarm_since":null,
             "evaluated_through":"2026-11-27T01:00:00Z"}""";
    static final String EMPTY = """
            {"id":"fallback_rate@channel=voice","cohort":"channel=voice","metric":"fallback_rate","state":"NO_DATA",
             "estimate":null,"exposure":0,"baseline":null,"baseline_source":"NONE","baseline_weeks":0,
             "band_lower":null,"band_upper":null,"log_statistic":null,"log_page_threshold":10.9,"on_list":false,
             "alarm_since":null,"evaluated_through":null}""";

    CannedGuardrail guardrail;

    @BeforeEach
    void start() throws IOException {
        guardrail = new CannedGuardrail("[" + QUIET + "," + EMPTY + "," + ALARMED + "]");
    }

    @AfterEach
    void stop() {
        guardrail.close();
    }

    /** Each request's path and query. */
    List<String> seen() {
        return guardrail.requests().stream().map(CannedGuardrail.Request::rawTarget).toList();
    }

    CannedGuardrail.Run run(String... args) {
        return guardrail.run("t0k", args);
    }

    @Test
    void listsAlarmsFirstWithRateBaselineAndHowCloseToPaging() {
        CannedGuardrail.Run r = run("monitors", "--state", "ALARM", "--cohort", "country=CA,age=18-24");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("/monitors?state=ALARM&cohort=country%3DCA%2Cage%3D18-24"), seen());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("MONITOR "), r.out());
        // alarm first, then the quiet monitor (statistic 1.2 of 10.9), then the one with no data
        assertTrue(lines[1].startsWith("incorrect_approval@country=CA,age=18-24  ALARM       3.10%  2.00% seasonal"),
                r.out());
        assertTrue(lines[1].contains("[1.78%, 2.24%]"), r.out());
        assertTrue(lines[1].contains("12.4 / 10.9"), r.out());
        assertTrue(lines[1].contains("13,300"), r.out());
        assertTrue(lines[1].endsWith("2026-11-27T00:19:00Z"), r.out());
        assertTrue(lines[2].startsWith("decline_rate@channel=web"), r.out());
        assertTrue(lines[3].startsWith("fallback_rate@channel=voice"), r.out());
        assertTrue(lines[3].contains("NO_DATA         -  - none"), r.out());
    }

    @Test
    void showsOneMonitorWithItsChart() {
        guardrail.answer(200, ALARMED);
        CannedGuardrail.Run r = run("monitors", "show", "incorrect_approval@country=CA,age=18-24");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("/monitors/incorrect_approval%40country%3DCA%2Cage%3D18-24"), seen());
        assertTrue(r.out().contains("state              ALARM since 2026-11-27T00:19:00Z"), r.out());
        assertTrue(r.out().contains("rate               3.10% of 13,300"), r.out());
        assertTrue(r.out().contains("baseline           2.00% (seasonal, 4 weeks) band [1.78%, 2.24%]"), r.out());
        assertTrue(r.out().contains("log R              12.40 (pages at 10.90)"), r.out());
        assertTrue(r.out().contains("/monitors/incorrect_approval%40country%3DCA%2Cage%3D18-24/chart.svg"), r.out());
    }

    @Test
    void aRefusalPrintsTheProblemAndItsFieldWithExitOne() {
        guardrail.answer(400, """
                {"title":"Bad Request","status":400,"detail":"unknown state 'LOUD'","field":"state"}""");
        CannedGuardrail.Run r = run("monitors", "--state", "LOUD");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("vigil monitors: 400 unknown state 'LOUD' (field state)"), r.err());
    }

    @Test
    void anUnreachableServiceIsExitOneAndSaysWhere() {
        int port = guardrail.port();
        guardrail.close();
        CannedGuardrail.Run r = run("monitors");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("vigil monitors: cannot reach http://127.0.0.1:" + port), r.err());
    }
}
