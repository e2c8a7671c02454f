package io.vigil.guardrail.monitor.rest;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.vigil.guardrail.aggregation.CohortExpression;
import io.vigil.guardrail.monitor.HourCounts;
import io.vigil.guardrail.monitor.MonitorBaseline;
import io.vigil.guardrail.monitor.MonitorCatalog;
import io.vigil.guardrail.monitor.MonitorDefinition;
import io.vigil.guardrail.monitor.MonitorMetric;
import io.vigil.guardrail.monitor.MonitorRound;
import io.vigil.guardrail.monitor.MonitorState;
import io.vigil.guardrail.monitor.MonitorStatus;
import io.vigil.guardrail.monitor.store.MonitorStore;
import io.vigil.service.security.Roles;

/**
 * The cohort monitors over REST: the list (with state, estimate, baseline and band, and which are on the
 * FDR-controlled list), one monitor, and its chart. Read from the database, so every replica answers the same.
 */
@Path("/monitors")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class MonitorResource {

    static final String NO_DATA = "NO_DATA";

    private final MonitorCatalog catalog;
    private final MonitorStore store;
    private final MonitorRound round;
    private final Clock clock;
    private final MonitorRound.BaselineSettings baselines;

    MonitorResource(MonitorCatalog catalog, MonitorStore store, MonitorRound round, Clock clock) {
        this.catalog = catalog;
        this.store = store;
        this.round = round;
        this.clock = clock;
        this.baselines = round.baselines();
    }

    @GET
    @Operation(summary = "List the cohort monitors, alarmed first; filter by state, metric or cohort")
    public List<MonitorView> list(@QueryParam("state") String state, @QueryParam("metric") String metric,
            @QueryParam("cohort") String cohort) throws SQLException {
        if (state != null && !state.equals(NO_DATA)
                && Arrays.stream(MonitorState.values()).noneMatch(s -> s.name().equals(state))) {
            throw new InvalidMonitorQueryException("state", "unknown state '" + state
                    + "'; one of NO_DATA, NO_BASELINE, OK, ALARM");
        }
        if (metric != null && MonitorMetric.byKey(metric) == null) {
            throw new InvalidMonitorQueryException("metric", "unknown metric '" + metric + "'; one of "
                    + String.join(", ", Arrays.stream(MonitorMetric.values()).map(MonitorMetric::key).toList()));
        }
        String canonicalCohort = null;
        if (cohort != null) {
            try {
                canonicalCohort = cohort.strip().equals("all") ? ""
                        : CohortExpression.parse(cohort.replace(',', '&')).toString();
            } catch (IllegalArgumentException e) {
                throw new InvalidMonitorQueryException("cohort", e.getMessage());
            }
        }
        Map<String, MonitorStatus> states = store.states();
        Set<String> listed = fdrList(states);
        List<MonitorView> out = new ArrayList<>();
        for (MonitorDefinition d : catalog.monitors()) {
            MonitorView v = view(d, states.get(d.id()), listed);
            if ((state == null || state.equals(v.state())) && (metric == null || metric.equals(d.metric().key()))
                    && (canonicalCohort == null || canonicalCohort.equals(d.cohort().toString()))) {
                out.add(v);
            }
        }
        out.sort((a, b) -> Boolean.compare(b.state().equals("ALARM"), a.state().equals("ALARM")));
        return out;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One cohort monitor")
    public MonitorView get(@PathParam("id") String id) throws SQLException {
        MonitorDefinition d = catalog.byId(id).orElseThrow(() -> new MonitorNotFoundException(id));
        Map<String, MonitorStatus> states = store.states();
        return view(d, states.get(id), fdrList(states));
    }

    @GET
    @Path("/{id}/chart.svg")
    @Produces("image/svg+xml")
    @Operation(summary = "The monitor's hourly rate against its expected band, alarms marked (SVG)")
    public Response chart(@PathParam("id") String id, @QueryParam("hours") @DefaultValue("48") String hoursParam)
            throws SQLException {
        MonitorDefinition d = catalog.byId(id).orElseThrow(() -> new MonitorNotFoundException(id));
        int hours;
        try {
            hours = Integer.parseInt(hoursParam.strip());
        } catch (NumberFormatException e) {
            hours = -1;
        }
        if (hours < 1 || hours > 24 * 42) {
            throw new InvalidMonitorQueryException("hours", "hours must be a whole number between 1 and 1008, got '"
                    + hoursParam + "'");
        }
        MonitorStatus s = store.states().get(id);
        long endHour = s != null ? Math.floorDiv(s.evaluatedThroughMinute(), 60)
                : Math.floorDiv(clock.instant().getEpochSecond(), 3600);
        long fromHour = endHour - hours + 1;
        // Enough history before the window for each hour's seasonal (4 weeks) or trailing baseline.
        NavigableMap<Long, long[]> series = store.hourSeries(id, fromHour - 168L * 4 - 1, endHour);
        List<MonitorChart.Hour> points = new ArrayList<>();
        for (long h = fromHour; h <= endHour; h++) {
            long[] c = series.get(h);
            MonitorBaseline b = MonitorBaseline.of(h, hr -> {
                long[] x = series.get(hr);
                return x == null ? HourCounts.NONE
                        : new HourCounts(x[0], d.metric().badEvents(x[0], x[1]));
            }, baselines.seasonalWeeks(), baselines.trailingHours(), baselines.minimumExposure());
            double bad = c == null || c[0] == 0 ? Double.NaN : (double) d.metric().badEvents(c[0], c[1]) / c[0];
            double[] band = b.band(c == null ? 0 : c[0]);
            double lo = d.metric().lowerIsWorse() ? 1 - band[1] : band[0];
            double hi = d.metric().lowerIsWorse() ? 1 - band[0] : band[1];
            if (c != null || !points.isEmpty()) {
                points.add(new MonitorChart.Hour(Instant.ofEpochSecond(h * 3600), d.metric().reportedRate(bad), lo,
                        hi));
            }
        }
        List<MonitorChart.Mark> marks = new ArrayList<>();
        for (Map.Entry<Long, String> a : store.alarms(id, Instant.ofEpochSecond(fromHour * 3600))) {
            marks.add(new MonitorChart.Mark(Instant.ofEpochSecond(a.getKey() * 60), a.getValue().equals("MONITOR_ALARM")));
        }
        return Response.ok(MonitorChart.render(id + " (rate per hour against its expected band)", points, marks),
                "image/svg+xml").build();
    }

    /** The monitors on the FDR-controlled list (e-BH at the family's alpha on R / restarts). */
    private Set<String> fdrList(Map<String, MonitorStatus> states) {
        int m = catalog.size();
        double[] logStat = new double[m];
        long[] restarts = new long[m];
        for (int i = 0; i < m; i++) {
            MonitorStatus s = states.get(catalog.get(i).id());
            logStat[i] = s == null ? Double.NEGATIVE_INFINITY : s.logStatistic();
            restarts[i] = s == null ? 0 : s.snapshot().detector().restarts();
        }
        Set<String> out = new HashSet<>();
        for (int i : round.family().discoveries(logStat, restarts, round.alpha())) {
            out.add(catalog.get(i).id());
        }
        return out;
    }

    private MonitorView view(MonitorDefinition d, MonitorStatus s, Set<String> listed) {
        double threshold = round.family().logPageThreshold();
        if (s == null) {
            return new MonitorView(d.id(), d.cohort().toString(), d.metric().key(), NO_DATA, null, 0, null,
                    MonitorBaseline.Source.NONE.name(), 0, null, null, null, threshold, false, null, null);
        }
        MonitorMetric m = d.metric();
        MonitorBaseline b = s.baseline();
        double[] band = b.band(s.hourExposure());
        Double lo = nan(m.lowerIsWorse() ? 1 - band[1] : band[0]);
        Double hi = nan(m.lowerIsWorse() ? 1 - band[0] : band[1]);
        return new MonitorView(d.id(), d.cohort().toString(), m.key(), s.state().name(),
                nan(m.reportedRate(s.hourBadRate())), s.hourExposure(),
                b.known() ? m.reportedRate(b.estimate()) : null, b.source().name(), b.weeks(), lo, hi,
                s.logStatistic() < -1e299 ? null : s.logStatistic(), threshold, listed.contains(d.id()),
                s.snapshot().alarmSinceMinute() < 0 ? null : Instant.ofEpochSecond(s.snapshot().alarmSinceMinute() * 60),
                Instant.ofEpochSecond((s.evaluatedThroughMinute() + 1) * 60));
    }

    private static Double nan(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
