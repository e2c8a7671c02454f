package io.vigil.guardrail.analysis.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vigil.guardrail.analysis.InvalidAnalysisException;

/** The analyses' request parsing and the small computations beside the SQL, in plain JUnit. */
class LedgerRequestsTest {

    @Test
    void cohortsTakeThePlansShortNamesAndTheEventsFieldNames() {
        assertEquals("country=CA & customer_age_band=18-24", Cohort.parse("country=CA,age=18-24").toString());
        assertEquals("country=CA & customer_age_band=18-24",
                Cohort.parse("country=CA & customer_age_band=18-24").toString());
        assertEquals(List.of(new Cohort.Term("merchant_id", "m1"), new Cohort.Term("bin_country", "US")),
                Cohort.parse("merchant=m1,bin_country=US").terms());
        assertEquals("", Cohort.parse(" ").toString());
        InvalidAnalysisException e = assertThrows(InvalidAnalysisException.class, () -> Cohort.parse("planet=mars"));
        assertEquals("cohort", e.field());
        assertEquals("cohort", assertThrows(InvalidAnalysisException.class,
                () -> Cohort.parse("age=18-24,customer_age_band=25-34")).field());
        assertEquals("by", assertThrows(InvalidAnalysisException.class, () -> Cohort.column("shoe", "by")).field());
    }

    @Test
    void metricsByNameWithIncorrectApprovalByDefault() {
        assertEquals(LedgerMetric.INCORRECT_APPROVAL, LedgerMetric.parse(null));
        assertEquals(LedgerMetric.INCORRECT_APPROVAL, LedgerMetric.parse("INCORRECT_APPROVAL_RATE"));
        assertEquals(LedgerMetric.STEP_UP_PASS, LedgerMetric.parse("step-up-pass"));
        assertEquals("metric", assertThrows(InvalidAnalysisException.class, () -> LedgerMetric.parse("joy")).field());
    }

    @Test
    void windowsInTheFutureOrInvertedAreRefusedAndTheDefaultIsTheLastDay() {
        Instant now = Instant.parse("2026-11-29T12:00:00Z");
        assertEquals(new Window(Instant.parse("2026-11-28T12:00:00Z"), now), Window.of(null, null, now));
        assertEquals("from", assertThrows(InvalidAnalysisException.class,
                () -> Window.of("2026-11-29T13:00:00Z", null, now)).field());
        assertEquals("from", assertThrows(InvalidAnalysisException.class,
                () -> Window.of("2026-11-29T10:00:00Z", "2026-11-29T09:00:00Z", now)).field());
        assertEquals("to", assertThrows(InvalidAnalysisException.class,
                () -> Window.of(null, "soon", now)).field());
        Window w = Window.of("2026-11-29T06:00:00Z", "2026-11-29T09:00:00Z", now);
        assertEquals(new Window(Instant.parse("2026-11-29T03:00:00Z"), Instant.parse("2026-11-29T06:00:00Z")),
                w.preceding());
    }

    @Test
    void betweenHourSpreadIsTheVarianceBeyondBinomialNoise() {
        // Hourly rates 0.1 and 0.3 of 100 each at p = 0.2: sample variance 0.02, binomial part 0.16 / 100 = 0.0016,
        // tau = sqrt(0.0184).
        double tau = LedgerAnalyses.betweenHourSd(List.of(new LedgerQueries.HourCount(Instant.EPOCH, 100, 10),
                new LedgerQueries.HourCount(Instant.EPOCH.plusSeconds(3600), 100, 30)), 0.2);
        assertEquals(Math.sqrt(0.0184), tau, 1e-12);
        // Rates that differ by less than their noise: 0.
        assertEquals(0, LedgerAnalyses.betweenHourSd(List.of(new LedgerQueries.HourCount(Instant.EPOCH, 100, 20),
                new LedgerQueries.HourCount(Instant.EPOCH, 100, 21)), 0.205));
    }

    @Test
    void idsAreMaskedInAnswers() {
        assertEquals("****4567", LedgerAnalyses.maskAccount("acct-1234567"));
        assertEquals("****ab", LedgerAnalyses.maskAccount("ab"));
        assertEquals("4532****", LedgerAnalyses.maskBin("45320151"));
        assertEquals("", LedgerAnalyses.maskBin(""));
    }
}
