package io.vigil.features.rest;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.vigil.features.contract.FeatureContracts;
import io.vigil.features.health.FeatureHealthMonitor;
import io.vigil.features.health.HealthChange;
import io.vigil.features.health.HealthRebaselines;
import io.vigil.features.health.Segment;
import io.vigil.features.health.SegmentHealth;
import io.vigil.features.health.SegmentLevels;
import io.vigil.features.config.FeaturesConfig;
import io.vigil.service.security.AuditActor;
import io.vigil.service.security.Roles;

/** Operators: feature health per feature and segment. */
@Path("/health/features")
@Tag(name = "health")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class HealthResource {

    private final FeatureHealthMonitor monitor;
    private final HealthRebaselines rebaselines;
    private final FeatureContracts contracts;
    private final FeaturesConfig config;
    private final Clock clock;
    private final AuditActor actor;

    HealthResource(FeatureHealthMonitor monitor, HealthRebaselines rebaselines, FeatureContracts contracts,
            FeaturesConfig config, Clock clock, AuditActor actor) {
        this.monitor = monitor;
        this.rebaselines = rebaselines;
        this.contracts = contracts;
        this.config = config;
        this.clock = clock;
        this.actor = actor;
    }

    @GET
    @Operation(summary = "Feature health by feature and segment",
            description = "Rates (null, default/sentinel, out-of-range, stale) over the sliding window and in the "
                    + "reference, PSI and KS against the reference with their alarm levels at these sample sizes, "
                    + "alarms in force, and crossings explained by another segment's alarm. segment: 'all' or "
                    + "'attribute=value' with attribute one of country, region, customer_age_band, channel, login_method.")
    @APIResponse(responseCode = "400", description = "Unknown feature or malformed segment; problem+json naming the field")
    public List<Map<String, Object>> health(@QueryParam("feature") String feature, @QueryParam("segment") String segment) {
        String f = QuarantineResource.blankToNull(feature);
        if (f != null && contracts.latest(config.ingest().featureSet()).flatMap(s -> s.feature(f)).isEmpty()) {
            throw ProblemException.badField("feature", "no feature '" + f + "' in " + config.ingest().featureSet());
        }
        Segment s = null;
        if (QuarantineResource.blankToNull(segment) != null) {
            s = Segment.parse(segment);
            if (s == null) {
                throw ProblemException.badField("segment",
                        "expected 'all' or 'attribute=value' with attribute one of " + Segment.ATTRIBUTES + ", got '" + segment + "'");
            }
        }
        return monitor.health(f, s).stream().map(HealthResource::render).toList();
    }

    /** Body of a re-baseline: feature (absent: every feature), segment (absent or "all": the whole population). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RebaselineRequest(String feature, String segment, String reason) {
    }

    @POST
    @Path("rebaseline")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Re-baseline feature health (audited)",
            description = "After a fix, or a change that is intended, make the present the new normal. feature: one "
                    + "feature, or absent for every feature. segment: absent or 'all' (the reference and the window "
                    + "are dropped and rebuilt from what arrives next), or 'attribute=value' (that segment's "
                    + "reference observations are replaced by its current window). Alarms in scope recover (and are "
                    + "published as recoveries). Audited with actor (the token's subject), reason and what was reset; "
                    + "every instance applies it within features.health.rebaseline-refresh.")
    @APIResponse(responseCode = "200", description = "The audit entry: what was reset")
    @RolesAllowed(Roles.OPERATOR)
    @APIResponse(responseCode = "400", description = "Missing reason, unknown feature, malformed segment or a "
            + "segment value the contract does not declare; problem+json naming the field")
    public Uni<HealthRebaselines.Rebaseline> rebaseline(RebaselineRequest body) {
        if (body == null) {
            throw ProblemException.badField("body", "a JSON body is required: {feature?, segment?, reason}");
        }
        String who = actor.subject();
        if (body.reason() == null || body.reason().isBlank()) {
            throw ProblemException.badField("reason", "say why (it goes to the audit trail)");
        }
        if (body.reason().length() > 1000) {
            throw ProblemException.badField("reason", "at most 1000 characters");
        }
        String f = QuarantineResource.blankToNull(body.feature());
        if (f != null && contracts.latest(config.ingest().featureSet()).flatMap(s -> s.feature(f)).isEmpty()) {
            throw ProblemException.badField("feature", "no feature '" + f + "' in " + config.ingest().featureSet());
        }
        Segment s = Segment.ALL;
        if (QuarantineResource.blankToNull(body.segment()) != null) {
            s = Segment.parse(body.segment());
            if (s == null) {
                throw ProblemException.badField("segment", "expected 'all' or 'attribute=value' with attribute one of "
                        + Segment.ATTRIBUTES + ", got '" + body.segment() + "'");
            }
            SegmentLevels levels = SegmentLevels.of(contracts.latest(config.ingest().featureSet()).orElse(null));
            int index = Segment.ATTRIBUTES.indexOf(s.attribute());
            if (!s.all() && !s.value().equals(levels.fold(index, s.value()))
                    && !SegmentLevels.OTHER.equals(s.value())) {
                throw ProblemException.badField("segment", "'" + s.value() + "' is not a level of " + s.attribute()
                        + " in the contract (values outside it are tracked as '" + SegmentLevels.OTHER + "')");
            }
        }
        return rebaselines.rebaseline(f, s, who, body.reason());
    }

    @GET
    @Path("rebaselines")
    @Operation(summary = "The re-baseline audit trail: who, when, why, what was reset")
    public Uni<List<HealthRebaselines.Rebaseline>> rebaselines() {
        return rebaselines.list();
    }

    @POST
    @Path("evaluate")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Evaluate every feature now (alarms and recoveries are published as usual)")
    public Uni<List<String>> evaluate() {
        return monitor.evaluateAll(clock.instant()).map(changes -> changes.stream().map(HealthChange::detail).toList());
    }

    static Map<String, Object> render(SegmentHealth h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("feature", h.feature());
        m.put("segment", h.segment().toString());
        m.put("window_count", h.windowCount());
        m.put("reference_count", h.referenceCount());
        m.put("rates", h.rates());
        m.put("reference_rates", h.referenceRates());
        m.put("psi", Double.isFinite(h.psi()) ? h.psi() : null);
        m.put("psi_alarm_level", Double.isFinite(h.psiAlarmLevel()) ? h.psiAlarmLevel() : null);
        m.put("ks", Double.isFinite(h.ks()) ? h.ks() : null);
        m.put("ks_alarm_level", Double.isFinite(h.ksAlarmLevel()) ? h.ksAlarmLevel() : null);
        m.put("alarms", h.alarms());
        m.put("explained_by", h.explainedBy());
        return m;
    }
}
