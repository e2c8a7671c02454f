package io.vigil.guardrail.monitor.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The cohort monitors, under {@code guardrail.monitors.*} (README, "Cohort monitors"). */
@ConfigMapping(prefix = "guardrail.monitors")
public interface MonitorConfig {

    /** Run the monitors (counting in the topology, evaluation, gauges). */
    @WithDefault("true")
    boolean enabled();

    /**
     * Cohort expressions watched ({@code all} = all traffic, {@code country=CA & age=18-24}); absent: the simulator's
     * cohorts (MonitorCatalog.DEFAULT_COHORTS). Every cohort is watched on every metric of {@link #metrics()}.
     */
    Optional<List<String>> cohorts();

    /** Metric keys (decline_rate, step_up_rate, review_rate, fallback_rate, conversion, incorrect_approval,
     * slow_score_rate); absent: all of them. */
    Optional<List<String>> metrics();

    /** Family-wise false-page rate per day of event time, over all monitors (and the FDR level of the list). */
    @WithDefault("0.05")
    double alpha();

    /** Weeks of the same hour of the week behind a seasonal baseline (at least 3 must have traffic). */
    @WithDefault("4")
    int seasonalWeeks();

    /** The fallback baseline's window: this many hours, ending two hours before the hour judged. */
    @WithDefault("24")
    int trailingHours();

    /** The least exposure a baseline hour (seasonal) or the trailing window must have. */
    @WithDefault("200")
    long minimumBaselineExposure();

    /** A Score call slower than this counts toward slow_score_rate. */
    @WithDefault("50ms")
    Duration slowScore();

    /** Minutes younger than this (behind the slowest live partition's stream time) are not folded yet. */
    @WithDefault("PT5M")
    Duration settle();

    /** Minutes of conversion wait this long instead (orders follow the decision by minutes). */
    @WithDefault("PT15M")
    Duration outcomeSettle();

    /** A partition whose stream time is this far behind the newest is ignored when finding what has settled. */
    @WithDefault("PT30M")
    Duration maxPartitionLag();

    /** How often (wall time) each instance evaluates (one at a time across replicas) and refreshes its gauges. */
    @WithDefault("10s")
    Duration evaluateEvery();

    /** How often (wall time) the stream sends changed counts to PostgreSQL. */
    @WithDefault("1s")
    Duration flushInterval();

    /** Minute counts are kept this long (stream and database); hour counts (the baselines' history) much longer. */
    @WithDefault("PT12H")
    Duration minuteRetention();

    /** How long the stream keeps updating an hour's count (late outcomes); the database keeps hours for history. */
    @WithDefault("P2D")
    Duration hourUpdateWindow();

    /** Hour counts kept in the database: the seasonal baseline's weeks and then some. */
    @WithDefault("P42D")
    Duration history();
}
