package io.vigil.guardrail.monitor;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import io.vigil.contracts.events.v1.BaselineSource;
import io.vigil.contracts.events.v1.GuardrailEvidence;
import io.vigil.contracts.events.v1.Judgement;
import io.vigil.contracts.events.v1.MonitorEvidence;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.contracts.events.v1.VerdictKind;
import io.vigil.eventing.ProtoTime;

/** A monitor's alarm or recovery as a verdict on vigil.verdicts.v1, with its evidence. */
public final class MonitorVerdicts {

    private MonitorVerdicts() {
    }

    /**
     * The verdict id is derived from the monitor, the minute and the kind: a round repeated after a crash, or by
     * another replica, produces the same id (and the outbox's unique id keeps one).
     */
    public static VerdictIssued of(MonitorDefinition def, MonitorStatus s, MonitorDetection.Change change,
            MonitorFamily family, double alpha, int familySize) {
        VerdictKind kind = change == MonitorDetection.Change.ALARM ? VerdictKind.VERDICT_KIND_MONITOR_ALARM
                : VerdictKind.VERDICT_KIND_MONITOR_RECOVERED;
        UUID id = UUID.nameUUIDFromBytes((def.id() + "|" + s.evaluatedThroughMinute() + "|" + kind)
                .getBytes(StandardCharsets.UTF_8));
        MonitorBaseline b = s.baseline();
        double badRate = s.hourBadRate();
        double excess = badRate - b.estimate();
        double se = s.hourExposure() == 0 ? Double.POSITIVE_INFINITY
                : Math.sqrt(Math.max(badRate * (1 - badRate), 1e-12) / s.hourExposure());
        double[] band = b.band(s.hourExposure());
        MonitorMetric m = def.metric();
        MonitorEvidence.Builder me = MonitorEvidence.newBuilder()
                .setRate(nz(m.reportedRate(badRate)))
                .setBaseline(nz(m.reportedRate(b.estimate())))
                .setBaselineGuarded(nz(m.reportedRate(b.rate())))
                .setBaselineSource(b.source() == MonitorBaseline.Source.SEASONAL ? BaselineSource.BASELINE_SOURCE_SEASONAL
                        : BaselineSource.BASELINE_SOURCE_TRAILING)
                .setBaselineWeeks(b.weeks())
                .setBandLower(nz(m.lowerIsWorse() ? 1 - band[1] : band[0]))
                .setBandUpper(nz(m.lowerIsWorse() ? 1 - band[0] : band[1]))
                .setLogStatistic(s.logStatistic())
                .setLogPageThreshold(family.logPageThreshold())
                .setFamilySize(familySize);
        GuardrailEvidence evidence = GuardrailEvidence.newBuilder()
                .setGuardrail(def.id())
                .setMetric(m.counted().name())
                .setCohort(def.cohort().toString())
                .setJudgement(change == MonitorDetection.Change.ALARM ? Judgement.JUDGEMENT_HARMFUL
                        : Judgement.JUDGEMENT_INCONCLUSIVE)
                .setEstimate(nz(excess))
                .setHarmLower(nz(excess - 1.96 * se))
                .setHarmUpper(nz(excess + 1.96 * se))
                .setMargin(0)
                .setTreatmentExposure(s.hourExposure())
                .setControlExposure(b.exposure())
                .setAlpha(alpha / familySize)
                .setMonitor(me)
                .build();
        Instant at = Instant.ofEpochSecond((s.evaluatedThroughMinute() + 1) * 60);
        return VerdictIssued.newBuilder()
                .setVerdictId(id.toString())
                .setKind(kind)
                .setMonitorId(def.id())
                .setEvaluatedAt(ProtoTime.of(at))
                .setReason(reason(def, s, change, family))
                .addEvidence(evidence)
                .build();
    }

    static String reason(MonitorDefinition def, MonitorStatus s, MonitorDetection.Change change,
            MonitorFamily family) {
        MonitorMetric m = def.metric();
        MonitorBaseline b = s.baseline();
        String cohort = def.cohort().toString().isEmpty() ? "all traffic" : def.cohort().toString();
        String baseline = b.source() == MonitorBaseline.Source.SEASONAL
                ? "its seasonal baseline " + pct(m.reportedRate(b.estimate())) + " (same hour, median of " + b.weeks()
                        + " weeks; judged against its upper bound " + pct(m.reportedRate(b.rate())) + ")"
                : "its trailing baseline " + pct(m.reportedRate(b.estimate())) + " (fallback: less than 3 weeks of "
                        + "history; judged against its upper bound " + pct(m.reportedRate(b.rate())) + ")";
        if (change == MonitorDetection.Change.ALARM) {
            return String.format(Locale.ROOT, "alarm: %s in %s at %s over the last hour (%,d) against %s; evidence "
                    + "e^%.1f reached the family's paging threshold e^%.1f", m.key(), cohort,
                    pct(m.reportedRate(s.hourBadRate())), s.hourExposure(), baseline, s.logStatistic(),
                    family.logPageThreshold());
        }
        return String.format(Locale.ROOT, "recovered: %s in %s at %s over the last hour (%,d) against %s; evidence "
                + "back below 1 (e^%.1f)", m.key(), cohort, pct(m.reportedRate(s.hourBadRate())), s.hourExposure(),
                baseline, s.logStatistic());
    }

    private static String pct(double rate) {
        return Double.isNaN(rate) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * rate);
    }

    /** Protobuf doubles carry NaN, but a reader's arithmetic should not have to: unknown is 0 with exposure 0. */
    private static double nz(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
