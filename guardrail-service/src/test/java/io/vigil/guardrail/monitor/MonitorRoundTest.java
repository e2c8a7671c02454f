package io.vigil.guardrail.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.vigil.contracts.events.v1.BaselineSource;
import io.vigil.contracts.events.v1.GuardrailEvidence;
import io.vigil.contracts.events.v1.Judgement;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.contracts.events.v1.VerdictKind;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.statistics.RateIncreaseDetector;

/** Baselines, one monitor's alarm and recovery, and a round's verdicts, each against figures worked by hand. */
class MonitorRoundTest {

    static final long HOUR = 500_000; // an epoch hour well after 1970: weeks of history fit before it

    @Test
    void theSeasonalBaselineIsTheMedianOfTheSameHourInPastWeeks() {
        // Same hour, 1-4 weeks back: 2.0%, 2.1%, 1.9% and an incident week at 9% of 10,000: median 2.05%.
        Map<Long, HourCounts> h = new HashMap<>();
        long[] events = {200, 210, 190, 900};
        for (int w = 1; w <= 4; w++) {
            h.put(HOUR - 168L * w, new HourCounts(10_000, events[w - 1]));
        }
        MonitorBaseline b = MonitorBaseline.of(HOUR, hr -> h.getOrDefault(hr, HourCounts.NONE), 4, 24, 200);
        assertEquals(MonitorBaseline.Source.SEASONAL, b.source());
        assertEquals(0.0205, b.estimate(), 1e-12);
        // The detector gets the upper Wilson bound (z = 1) over the median's effective exposure 40,000 x 2 / pi =
        // 25,464.8: (p + 1/(2n) + sqrt(p(1-p)/n + 1/(4n^2))) / (1 + 1/n) (computed in Python from the formula).
        assertEquals(0.02140700343943214, b.rate(), 1e-12);
        assertEquals(4, b.weeks());
        assertEquals(40_000, b.exposure());
    }

    @Test
    void withLessThanThreeWeeksTheTrailingHoursBeforeTheLastAreTheStatedFallback() {
        // Two weeks of history only. The 24 hours ending two hours before: 1,000 payments and 20 events each (2%);
        // the hour just before (a change may have begun there) has 100 events and is left out: 480 / 24,000 = 2%.
        Map<Long, HourCounts> h = new HashMap<>();
        h.put(HOUR - 168, new HourCounts(10_000, 900));
        h.put(HOUR - 336, new HourCounts(10_000, 900));
        for (long t = HOUR - 25; t <= HOUR - 2; t++) {
            h.put(t, new HourCounts(1_000, 20));
        }
        h.put(HOUR - 1, new HourCounts(1_000, 100));
        MonitorBaseline b = MonitorBaseline.of(HOUR, hr -> h.getOrDefault(hr, HourCounts.NONE), 4, 24, 200);
        assertEquals(MonitorBaseline.Source.TRAILING, b.source());
        assertEquals(0.02, b.estimate(), 1e-12);
        assertEquals(0.020923897726814966, b.rate(), 1e-12);
        assertEquals(24_000, b.exposure());
        // No events at all in the window: half an event in 24,000, not 0 (a likelihood ratio needs a rate above 0).
        Map<Long, HourCounts> none = new HashMap<>();
        for (long t = HOUR - 25; t <= HOUR - 2; t++) {
            none.put(t, new HourCounts(1_000, 0));
        }
        MonitorBaseline zero = MonitorBaseline.of(HOUR, hr -> none.getOrDefault(hr, HourCounts.NONE), 4, 24, 200);
        assertEquals(0.5 / 24_000, zero.estimate(), 1e-15);
        assertEquals(7.774756842207625e-05, zero.rate(), 1e-15);
        // 150 payments in the window: under the minimum of 200, no baseline.
        assertFalse(MonitorBaseline.of(HOUR, hr -> hr == HOUR - 2 ? new HourCounts(150, 3) : HourCounts.NONE, 4, 24,
                200).known());
    }

    @Test
    void aMonitorAlarmsAtTheFamilyThresholdAndRecoversWhenAnHourEndsBelowOne() {
        // One monitor, alpha 0.05 a day, hourly restarts: pages at log(24 / 0.05) = log 480 = 6.1738. One alternative,
        // twice the baseline 2%: a minute of 5 events in 100 has L = 2^5 (0.96/0.98)^95 = 4.512736 (log 1.50691);
        // from the restart at minute 0, log R after minutes 0..4 = 1.507, 3.014, 4.521, 6.028 (below), 7.535: page
        // at minute 4. Then 0 in 100 a minute: L = (0.96/0.98)^100, log -2.06193 a minute: at minute 59 (the hour's
        // end) log R = 7.535 - 55 x 2.062 < 0: recovered there, not at an earlier minute (only hours' ends count).
        MonitorDetection d = new MonitorDetection(new RateIncreaseDetector(2.0), new MonitorFamily(1, 24, 0.05));
        assertEquals(Math.log(480), d.logPageThreshold(), 1e-12);
        MonitorBaseline b = new MonitorBaseline(0.02, 0.02, MonitorBaseline.Source.TRAILING, 0, 24_000);
        MonitorDetection.Snapshot s = d.start();
        List<String> changes = new ArrayList<>();
        for (long minute = 0; minute < 120; minute++) {
            long events = minute <= 4 ? 5 : 0;
            MonitorDetection.Step step = d.fold(s, minute, 100, events, b);
            s = step.snapshot();
            if (minute == 3) {
                assertEquals(4 * Math.log(4.512735986820167), step.logStatistic(), 1e-9);
            }
            if (step.change() != MonitorDetection.Change.NONE) {
                changes.add(step.change() + "@" + minute);
            }
        }
        assertEquals(List.of("ALARM@4", "RECOVERED@59"), changes);
        assertEquals(MonitorState.OK, s.state());
    }

    @Test
    void aRoundPublishesTheAlarmOnceWithItsEvidenceAndTheSameIdHoweverItIsSplit() {
        // One monitor (incorrect approvals, CA 18-24), trailing history at 2.0% (10,000 a hour, 200 labels), minutes
        // of the judged hour at 13,320 an hour (222 a minute): 2% (4 or 5 of 222) for 30 minutes, then 8% (18).
        MonitorCatalog catalog = MonitorCatalog.of(List.of("country=CA & age=18-24"), List.of("incorrect_approval"));
        MonitorRound round = new MonitorRound(catalog, 0.05, new MonitorRound.BaselineSettings(4, 24, 200));
        String id = "incorrect_approval@country=CA,age=18-24";
        NavigableMap<Long, long[]> minutes = new TreeMap<>();
        long start = HOUR * 60;
        for (long m = start; m < start + 60; m++) {
            long events = m - start < 30 ? (m % 2 == 0 ? 4 : 5) : 18;
            minutes.put(m, new long[] {222, events});
        }
        MonitorRound.HourHistory history = (monitor, hr) -> hr >= HOUR - 25 && hr <= HOUR - 2
                ? new long[] {10_000, 200} : null;

        MonitorRound.Result whole = round.evaluate(Map.of(), x -> minutes, history, Map.of(
                MonitorMetric.INCORRECT_APPROVAL, start + 59));
        assertEquals(1, whole.verdicts().size());
        VerdictIssued alarm = whole.verdicts().get(0);
        assertEquals(VerdictKind.VERDICT_KIND_MONITOR_ALARM, alarm.getKind());
        assertEquals(id, alarm.getMonitorId());
        assertTrue(alarm.getRolloutId().isEmpty());
        GuardrailEvidence e = alarm.getEvidence(0);
        assertEquals(Judgement.JUDGEMENT_HARMFUL, e.getJudgement());
        assertEquals("INCORRECT_APPROVAL_RATE", e.getMetric());
        assertEquals("country=CA & age=18-24", e.getCohort());
        assertEquals(0.02, e.getMonitor().getBaseline(), 1e-12);
        assertEquals(0.020287780198043868, e.getMonitor().getBaselineGuarded(), 1e-12);
        assertEquals(BaselineSource.BASELINE_SOURCE_TRAILING, e.getMonitor().getBaselineSource());
        assertEquals(240_000, e.getControlExposure());
        assertTrue(e.getMonitor().getLogStatistic() >= e.getMonitor().getLogPageThreshold());
        assertEquals(Math.log(24 / 0.05), e.getMonitor().getLogPageThreshold(), 1e-12);
        assertTrue(alarm.getReason().startsWith("alarm: incorrect_approval in country=CA & age=18-24 at "),
                alarm.getReason());
        assertTrue(alarm.getReason().contains("its trailing baseline 2.00%"), alarm.getReason());
        long alarmMinute = ProtoTime.toInstant(alarm.getEvaluatedAt()).getEpochSecond() / 60 - 1;
        assertTrue(alarmMinute >= start + 30 && alarmMinute < start + 45, "paged at minute " + (alarmMinute - start));

        // The same minutes in two rounds (the first through minute 40), the state carried in between: same verdict.
        MonitorRound.Result first = round.evaluate(Map.of(), x -> minutes, history,
                Map.of(MonitorMetric.INCORRECT_APPROVAL, start + 40));
        Map<String, MonitorStatus> stored = Map.of(id, first.changed().get(0));
        MonitorRound.Result second = round.evaluate(stored, x -> minutes, history,
                Map.of(MonitorMetric.INCORRECT_APPROVAL, start + 59));
        List<VerdictIssued> split = new ArrayList<>(first.verdicts());
        split.addAll(second.verdicts());
        assertEquals(List.of(alarm), split);
        // A round with nothing new settled changes nothing and publishes nothing.
        MonitorRound.Result again = round.evaluate(Map.of(id, second.changed().get(0)), x -> minutes, history,
                Map.of(MonitorMetric.INCORRECT_APPROVAL, start + 59));
        assertTrue(again.verdicts().isEmpty());
        assertTrue(again.changed().isEmpty());
    }

    @Test
    void theCatalogRefusesAnUnknownCohortAttributeOrMetricNamingIt() {
        IllegalArgumentException a = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MonitorCatalog.of(List.of("countri=CA"), List.of()));
        assertTrue(a.getMessage().contains("guardrail.monitors.cohorts: unknown cohort attribute 'countri'"),
                a.getMessage());
        IllegalArgumentException m = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MonitorCatalog.of(List.of("all"), List.of("chargebacks")));
        assertTrue(m.getMessage().contains("unknown metric 'chargebacks'"), m.getMessage());
        // The default: the simulator's 8 cohorts x 7 metrics.
        assertEquals(56, MonitorCatalog.of(MonitorCatalog.DEFAULT_COHORTS, List.of()).size());
    }
}
