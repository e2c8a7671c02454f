package io.vigil.features.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vigil.features.config.FeaturesConfig;
import io.vigil.features.contract.Verdict;
import io.vigil.features.ingest.FeatureIngestor;
import io.vigil.features.ingest.IngestResult;
import io.vigil.features.ingest.Judged;
import io.vigil.service.security.Roles;

/** REST ingest for producers that do not speak Kafka; their tokens carry the {@code producer} role. */
@Path("/features/batch")
@Tag(name = "ingest")
@RolesAllowed(Roles.PRODUCER)
public class FeatureBatchResource {

    private final FeatureIngestor ingestor;
    private final ObjectMapper json;
    private final FeaturesConfig config;
    private final java.time.Clock clock;

    FeatureBatchResource(FeatureIngestor ingestor, ObjectMapper json, FeaturesConfig config, java.time.Clock clock) {
        this.ingestor = ingestor;
        this.json = json;
        this.config = config;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ingest a batch of feature updates",
            description = "Body: {producer, updates: [{event_id, entity: {type, id}, event_time (RFC 3339), fields: "
                    + "{feature: value}, attributes: {country, region, customer_age_band, channel, login_method}}]}. "
                    + "Every value is judged against the ingest feature set: ACCEPT, FLAG (stored, marked) or REJECT "
                    + "(quarantined). Idempotent by event_id; an older event_time never overwrites a newer value.")
    @APIResponse(responseCode = "200", description = "Applied; counts and per-update verdicts")
    @APIResponse(responseCode = "400", description = "Malformed batch; problem+json naming the field")
    public Uni<Map<String, Object>> ingest(String body) {
        JsonNode tree;
        try {
            tree = json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw ProblemException.badField("(body)", "not valid JSON: " + e.getOriginalMessage());
        }
        java.time.Instant latest = clock.instant().plus(config.ingest().maxClockSkew());
        return ingestor.ingest(BatchParser.parse(tree, config.ingest().maxBatchSize(), latest), "rest")
                .map(FeatureBatchResource::render);
    }

    static Map<String, Object> render(IngestResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("applied", r.applied());
        out.put("duplicates", r.duplicates());
        out.put("accepted", r.accepted());
        out.put("flagged", r.flagged());
        out.put("rejected", r.rejected());
        List<Map<String, Object>> results = new ArrayList<>();
        for (Judged j : r.judged()) {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("event_id", j.update().eventId());
            u.put("feature_set", j.featureSet());
            List<Map<String, String>> flagged = new ArrayList<>();
            List<Map<String, String>> rejected = new ArrayList<>();
            for (Judged.Value v : j.values()) {
                if (v.verdict().outcome() == Verdict.Outcome.ACCEPT) {
                    continue;
                }
                (v.verdict().outcome() == Verdict.Outcome.FLAG ? flagged : rejected).add(Map.of(
                        "feature", v.contract().name(), "reason", v.verdict().reason().name(),
                        "detail", v.verdict().detail()));
            }
            u.put("flagged", flagged);
            u.put("rejected", rejected);
            u.put("drift", j.drift().stream().map(d -> Map.of("producer", d.producer(), "field", d.field(),
                    "kind", d.kind().name(), "detail", d.detail())).toList());
            results.add(u);
        }
        out.put("results", results);
        return out;
    }
}
