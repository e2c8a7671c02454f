package io.vigil.incident.status;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vigil.incident.communication.CommunicationClock;
import io.vigil.incident.communication.DraftRenderer;
import io.vigil.incident.communication.IncidentFacts;
import io.vigil.incident.communication.IncidentReader;
import io.vigil.incident.communication.PublicIncidentView;

/**
 * The public status page, open to anyone (no token): HTML, JSON and an Atom feed of the same content, which holds
 * public fields only.
 */
@Path("/")
@Tag(name = "status page")
@PermitAll
public class StatusResource {

    static final String ATOM = "application/atom+xml";
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Template page;
    private final Template feed;
    private final StatusBoard board;
    private final IncidentReader incidents;
    private final DraftRenderer drafts;
    private final StatusConfig config;
    private final CommunicationClock clock;
    private final io.vertx.mutiny.sqlclient.Pool pool;

    StatusResource(@Location("status/page.html") Template page, @Location("status/feed.xml") Template feed,
            StatusBoard board, IncidentReader incidents, DraftRenderer drafts, StatusConfig config,
            CommunicationClock clock, io.vertx.mutiny.sqlclient.Pool pool) {
        this.page = page;
        this.feed = feed;
        this.board = board;
        this.incidents = incidents;
        this.drafts = drafts;
        this.config = config;
        this.clock = clock;
        this.pool = pool;
    }

    @GET
    @Path("status")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The public status page (HTML)")
    public Uni<Response> html() {
        return content().map(p -> Response.ok(page.data("page", p).data("fmt", new Formatter()).render())
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build());
    }

    @GET
    @Path("status.json")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The public status page as JSON: components, current incidents, history")
    public Uni<StatusPage> json() {
        return content();
    }

    @GET
    @Path("status.atom")
    @Produces(ATOM)
    @Operation(summary = "The public status page's incidents as an Atom feed")
    public Uni<Response> atom() {
        return content().map(p -> Response.ok(feed.data("page", p).data("fmt", new Formatter()).data("updated", new Formatter().iso(feedUpdated(p))).render())
                .type(ATOM + ";charset=UTF-8").build());
    }

    private Uni<StatusPage> content() {
        Instant now = clock.now();
        Uni<List<IncidentFacts>> active = incidents.active(pool);
        Uni<List<IncidentFacts>> resolved = incidents.resolvedSince(now.minus(config.history()), 50);
        return Uni.combine().all().unis(active, resolved).asTuple().chain(t -> board.current(t.getItem1())
                .chain(components -> views(t.getItem1()).chain(current -> views(t.getItem2()).map(history -> {
                    ComponentStatus overall = StatusBoard.overall(components);
                    return new StatusPage(config.title(), now, overall.name(), overall.label(), components, current,
                            history);
                }))));
    }

    private Uni<List<PublicIncidentView>> views(List<IncidentFacts> list) {
        if (list.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Multi.createFrom().iterable(list)
                .onItem().transformToUniAndConcatenate(i -> drafts.publicUpdates(i.id())
                        .map(updates -> PublicIncidentView.of(i, updates)))
                .collect().asList();
    }

    private static Instant feedUpdated(StatusPage p) {
        Instant latest = Instant.EPOCH;
        for (List<PublicIncidentView> list : List.of(p.incidents(), p.history())) {
            for (PublicIncidentView v : list) {
                latest = max(latest, FeedEntry.updated(v));
            }
        }
        return latest.equals(Instant.EPOCH) ? p.generatedAt() : latest;
    }

    private static Instant max(Instant a, Instant b) {
        return b != null && b.isAfter(a) ? b : a;
    }

    /** Formats times for the HTML page and the feed (Qute calls these). */
    @io.quarkus.qute.TemplateData
    public static final class Formatter {
        public String shown(Instant t) {
            return t == null ? "" : SHOWN.format(t);
        }

        public String iso(Instant t) {
            return t == null ? "" : DateTimeFormatter.ISO_INSTANT.format(t);
        }

        public String css(String status) {
            return ComponentStatus.valueOf(status).cssClass();
        }

        public String updated(PublicIncidentView v) {
            return iso(FeedEntry.updated(v));
        }
    }

    /** When a feed entry last changed: its latest update, its resolution, or its start. */
    static final class FeedEntry {
        static Instant updated(PublicIncidentView v) {
            Instant t = v.startedAt();
            if (v.resolvedAt() != null && (t == null || v.resolvedAt().isAfter(t))) {
                t = v.resolvedAt();
            }
            for (PublicIncidentView.PublicUpdate u : v.updates()) {
                if (t == null || u.postedAt().isAfter(t)) {
                    t = u.postedAt();
                }
            }
            return t;
        }
    }
}
