package io.vigil.features.rest;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.vigil.features.contract.FeatureContracts;
import io.vigil.features.health.FeatureHealthMonitor;
import io.vigil.features.health.HealthChange;
import io.vigil.features.health.Segment;
import io.vigil.features.health.SegmentHealth;
import io.vigil.features.config.FeaturesConfig;
import io.vigil.service.security.Roles;

/** Operators: feature health per feature and segment. */
@Path("/health/features")
@Tag(name = "health")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class HealthResource {

    private final FeatureHealthMonitor monitor;
    private final FeatureContracts contracts;
    private final FeaturesConfig config;
    private final Clock clock;

    HealthResource(FeatureHealthMonitor monitor, FeatureContracts contracts, FeaturesConfig config, Clock clock) {
        this.monitor = monitor;
        this.contracts = contracts;
        this.config = config;
        this.clock = clock;
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
