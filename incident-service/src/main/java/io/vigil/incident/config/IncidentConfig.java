package io.vigil.incident.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vigil.incident.incident.Severity;

/**
 * The incident half's configuration, prefix {@code vigil.incident} (README.md lists every key). The severity table is
 * here so an organisation can set its own levels without a release.
 */
@ConfigMapping(prefix = "vigil.incident")
public interface IncidentConfig {

    Grouping grouping();

    Impact impact();

    SeverityTable severity();

    AllClear allClear();

    interface Grouping {
        /**
         * An alarm joins an open incident with a matching grouping key (or metric and cohort, or rollout) whose last
         * event is at most this long before the alarm's event time; otherwise it opens a new incident.
         */
        @WithDefault("PT6H")
        Duration window();

        /** Deploy markers this long before an incident opened are copied into its timeline. */
        @WithDefault("PT6H")
        Duration deployLookback();
    }

    interface Impact {
        /** Average ticket, in the reporting currency: money at stake = excess harmed (CI lower bound) x this. */
        @WithDefault("85.0")
        double averageTicket();
    }

    /**
     * Severity from impact: the worst level any criterion reaches. Each level is reached when the excess harmed
     * transactions' CI lower bound, the money at stake or the share of checkout affected is at or above its figure;
     * an SLA breach makes it at least {@link #slaBreachAtLeast()}. Below SEV3 everything is SEV4.
     */
    interface SeverityTable {
        @WithDefault("1000")
        double sev1ExcessHarmed();

        @WithDefault("100000")
        double sev1MoneyAtStake();

        @WithDefault("0.10")
        double sev1CheckoutShare();

        @WithDefault("200")
        double sev2ExcessHarmed();

        @WithDefault("20000")
        double sev2MoneyAtStake();

        @WithDefault("0.02")
        double sev2CheckoutShare();

        @WithDefault("20")
        double sev3ExcessHarmed();

        @WithDefault("2000")
        double sev3MoneyAtStake();

        @WithDefault("0.005")
        double sev3CheckoutShare();

        @WithDefault("SEV2")
        Severity slaBreachAtLeast();

        /**
         * Hysteresis: a worse level applies at once; a better one only after it has held this long in event time, so a
         * metric wobbling around a boundary does not flap the severity (nor the status page and the cadence with it).
         */
        @WithDefault("PT60M")
        Duration lowerAfter();
    }

    interface AllClear {
        /** The rate the cohort's metric must be at or under, relative to its pre-incident baseline: 2.0% x 1.15 = 2.3%. */
        @WithDefault("1.15")
        double thresholdOverBaseline();

        /** Used when the opening alarm carries no baseline. */
        @WithDefault("0.023")
        double defaultThreshold();

        @WithDefault("3")
        int windows();

        @WithDefault("30")
        int windowMinutes();

        /** A window's volume must be within this relative distance of the pre-incident volume. */
        @WithDefault("0.30")
        double volumeTolerance();

        /** The review queue's load (load / capacity) must stay under this. */
        @WithDefault("0.80")
        double queueShare();

        /** The metric whose windows carry the review queue's load over its capacity. */
        @WithDefault("REVIEW_QUEUE_LOAD")
        String queueMetric();

        /** How many windows before the incident the pre-incident volume is averaged over. */
        @WithDefault("4")
        int baselineWindows();
    }
}
