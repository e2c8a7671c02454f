package io.vigil.incident.communication;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;

/**
 * Drafts from live figures, rendered with Qute: internal audiences get the impact with its confidence interval and
 * provenance, the trend since their last update, actions taken, the next decision point and the next update time;
 * external audiences get a text rendered only from the {@link PublicIncidentView} allow-list.
 */
@ApplicationScoped
public class DraftRenderer {

    /** The query the figures come from, named in every draft's provenance. */
    static final String IMPACT_QUERY = "incident impact: the sum of the incident's alarm series' latest evidence "
            + "(excess harmed transactions CI, money at stake, checkout share), as the severity evaluation stored it";
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Template internal;
    private final Template external;
    private final IncidentReader incidents;
    private final StakeholderUpdates updates;
    private final UpdateClocks clocks;

    DraftRenderer(@Location("communication/internal-draft.txt") Template internal,
            @Location("communication/public-draft.txt") Template external, IncidentReader incidents,
            StakeholderUpdates updates, UpdateClocks clocks) {
        this.internal = internal;
        this.external = external;
        this.incidents = incidents;
        this.updates = updates;
        this.clocks = clocks;
    }

    public Uni<Draft> draft(UUID incidentId, Audience audience, Instant now) {
        return incidents.find(incidentId).chain(found -> {
            IncidentFacts incident = found.orElseThrow(() -> CommsProblem.notFound("id", "no incident " + incidentId));
            return updates.last(incidentId, audience).chain(last -> render(incident, audience, last, now));
        });
    }

    private Uni<Draft> render(IncidentFacts incident, Audience audience, Optional<StakeholderUpdates.LastUpdate> last,
            Instant now) {
        UUID incidentId = incident.id();
        // Due one cadence after this audience's last update (or the opening): what the clock says, not now + cadence.
        Instant nextDue = clocks.planner().plan(incident, audience, last.map(StakeholderUpdates.LastUpdate::postedAt)
                .orElse(null)).map(p -> p.dueAt()).orElse(null);
        if (audience.external()) {
            return publicUpdates(incidentId).map(list -> {
                PublicIncidentView view = PublicIncidentView.of(incident, list);
                String text = external.data("view", view).data("nextUpdate", time(nextDue)).data("started",
                        time(view.startedAt())).render();
                return new Draft(audience.key(), true, text.strip(), null, null, null, null, nextDue);
            });
        }
        return Uni.combine().all().unis(incidents.actions(incidentId), updates.nextDecision(incidentId))
                .asTuple().map(t -> {
                    ImpactFigures figures = ImpactFigures.of(incident);
                    Provenance provenance = new Provenance(IMPACT_QUERY, incident.openedAt(),
                            incident.lastEventAt(), now);
                    String trend = last.filter(l -> l.figures() != null)
                            .map(l -> figures.trendSince(l.figures()) + " since the update of "
                                    + time(l.postedAt()) + " (excess harmed " + range(l.figures()) + " then)")
                            .orElse("first update to this audience");
                    List<String> actions = t.getItem1();
                    Optional<Map.Entry<String, Instant>> decision = t.getItem2();
                    String text = internal.data("incident", incident)
                            .data("severity", incident.severity())
                            .data("state", incident.state())
                            .data("title", incident.title())
                            .data("audience", audience.key())
                            .data("impact", range(figures))
                            .data("money", money(figures.moneyAtStake()))
                            .data("share", percent(figures.checkoutShare()))
                            .data("provenance", provenance)
                            .data("window", time(provenance.windowStart()) + " to " + time(provenance.windowEnd()))
                            .data("computed", time(now))
                            .data("trend", trend)
                            .data("actions", actions)
                            .data("decision", decision.map(d -> d.getKey()
                                    + (Instant.EPOCH.equals(d.getValue()) ? "" : " at " + time(d.getValue())))
                                    .orElse("none recorded"))
                            .data("nextUpdate", time(nextDue))
                            .render();
                    return new Draft(audience.key(), false, text.strip(), figures, provenance, trend,
                            last.map(StakeholderUpdates.LastUpdate::postedAt).orElse(null), nextDue);
                });
    }

    /** Updates posted for the public status page (stored scrubbed; scrubbed again in case the rules grew since). */
    public Uni<List<PublicIncidentView.PublicUpdate>> publicUpdates(UUID incidentId) {
        return updates.list(incidentId, Audience.PUBLIC_STATUS_PAGE).map(list -> list.stream()
                .map(u -> new PublicIncidentView.PublicUpdate(u.postedAt(), PublicRedactor.scrub(u.body())))
                .toList());
    }

    static String time(Instant t) {
        return t == null ? "not scheduled" : HHMM.format(t);
    }

    static String range(ImpactFigures f) {
        return count(f.excessHarmedLow()) + " to " + count(f.excessHarmedHigh()) + " transactions (95% CI)";
    }

    private static String count(double d) {
        return new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(d);
    }

    private static String money(double d) {
        return "$" + count(d);
    }

    private static String percent(double share) {
        return new DecimalFormat("0.0#", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(share * 100) + "%";
    }
}
