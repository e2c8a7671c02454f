package io.vigil.incident.incident;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One incident: what went wrong (grouping key, metric, cohort, rollout), how bad (severity from the measured impact),
 * where it stands (state), and when (event times). Field names are read by the communications half (drafts, status
 * page): add fields freely, do not rename them.
 */
@Entity
@Table(name = "incident")
public class Incident extends PanacheEntityBase {

    /** Status-page components an incident can affect (payments per region: {@code payments-<region>}). */
    public static final String CHECKOUT_RISK_SCORING = "checkout-risk-scoring";
    public static final String STEP_UP = "step-up";
    public static final String PAYMENTS_PREFIX = "payments-";

    @Id
    public UUID id;

    public String title;

    @Enumerated(EnumType.STRING)
    public IncidentState state;

    /** The severity in force: the computed one after hysteresis, or a commander's override. */
    @Enumerated(EnumType.STRING)
    public Severity severity;

    @Column(name = "grouping_key")
    public String groupingKey;

    /** Event time of the first alarm (or when it was opened by hand). */
    @Column(name = "opened_at")
    public Instant openedAt;

    /** Event time of the latest event that touched the incident; the grouping window runs from it. */
    @Column(name = "last_event_at")
    public Instant lastEventAt;

    @Convert(converter = ComponentsConverter.class)
    public List<String> components = new ArrayList<>();

    /** Bounds of the excess harmed transactions (false declines, incorrect approvals): harm bounds x exposure. */
    @Column(name = "excess_harmed_low")
    public double excessHarmedLow;

    @Column(name = "excess_harmed_high")
    public double excessHarmedHigh;

    /** Money at stake, in the suite's reporting currency (upper bound of excess harmed x average ticket). */
    @Column(name = "money_at_stake")
    public double moneyAtStake;

    /** Share of checkout traffic affected, in [0, 1]. */
    @Column(name = "checkout_share")
    public double checkoutShare;

    @Column(name = "sla_breached")
    public boolean slaBreached;

    /** The metric, cohort and rollout of the opening alarm; empty when opened by hand. */
    public String metric = "";

    public String cohort = "";

    @Column(name = "rollout_id")
    public String rolloutId = "";

    /** Token subject, or the service name for incidents opened from events. */
    @Column(name = "opened_by")
    public String openedBy;

    /** What the impact table gives now, before hysteresis and overrides. */
    @Enumerated(EnumType.STRING)
    @Column(name = "computed_severity")
    public Severity computedSeverity;

    /** A lower level the impact has dropped to, and since when (event time): lowered only once it has held long enough. */
    @Enumerated(EnumType.STRING)
    @Column(name = "lower_severity")
    public Severity lowerSeverity;

    @Column(name = "lower_severity_since")
    public Instant lowerSeveritySince;

    @Column(name = "severity_override_reason")
    public String severityOverrideReason;

    @Column(name = "severity_overridden_by")
    public String severityOverriddenBy;

    @Column(name = "criteria_metric")
    public String criteriaMetric;

    @Column(name = "criteria_cohort")
    public String criteriaCohort;

    /** The rate the metric must be at or under, e.g. 0.023. */
    @Column(name = "criteria_threshold")
    public Double criteriaThreshold;

    @Column(name = "criteria_windows")
    public Integer criteriaWindows;

    @Column(name = "criteria_window_minutes")
    public Integer criteriaWindowMinutes;

    /** Allowed relative deviation of a window's volume from the pre-incident volume, e.g. 0.30. */
    @Column(name = "criteria_volume_tolerance")
    public Double criteriaVolumeTolerance;

    /** The review queue's load must stay under this share of its capacity, e.g. 0.80. */
    @Column(name = "criteria_queue_share")
    public Double criteriaQueueShare;

    /** Decisions per window before the incident (the stable-volume reference). */
    @Column(name = "baseline_volume")
    public Double baselineVolume;

    /** Set when the all-clear criteria were met: the service proposes RESOLVED; a commander confirms. */
    @Column(name = "resolution_proposed_at")
    public Instant resolutionProposedAt;

    @Column(name = "resolution_evidence")
    public String resolutionEvidence;

    @Column(name = "resolved_at")
    public Instant resolvedAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Version
    public long version;

    public boolean isOpen() {
        return state != null && state.isOpen();
    }
}
