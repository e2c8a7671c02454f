package io.vigil.guardrail.analysis.rest;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.vigil.guardrail.analysis.InvalidAnalysisException;
import io.vigil.guardrail.analysis.ledger.AnalysisViews;
import io.vigil.guardrail.analysis.ledger.Cohort;
import io.vigil.guardrail.analysis.ledger.LedgerAnalyses;
import io.vigil.guardrail.analysis.ledger.LedgerMetric;
import io.vigil.guardrail.analysis.ledger.Window;
import io.vigil.service.security.Roles;

/**
 * The on-call lead's analyses over the decision ledger (issue #17), in event time. Common parameters: {@code cohort}
 * ({@code country=CA,age=18-24}), {@code metric} ({@link LedgerMetric}: incorrect-approval by default), {@code from}
 * and {@code to} (ISO-8601; default the 24 hours up to the newest event). Every answer names its n, window and
 * denominator; bad input is a 400 problem naming the field; a window without data answers n = 0 and no rate.
 * Aggregates need an operator (or a commander, who includes it); so does the case sample, which holds features.
 */
@Path("/analyses")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class AnalysesResource {

    private final LedgerAnalyses analyses;

    AnalysesResource(LedgerAnalyses analyses) {
        this.analyses = analyses;
    }

    @GET
    @Path("/impact")
    @Operation(summary = "A cohort's rate with its 95% CI against a baseline: excess harmed payments and money at stake")
    public Uni<AnalysisViews.Impact> impact(@QueryParam("cohort") String cohort, @QueryParam("metric") String metric,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("baseline_rate") String baselineRate) {
        Cohort c = Cohort.parse(cohort);
        LedgerMetric m = LedgerMetric.parse(metric);
        Double base = optionalDouble(baselineRate, "baseline_rate");
        return analyses.window(from, to).flatMap(w -> analyses.impact(c, m, w, base));
    }

    @GET
    @Path("/slices")
    @Operation(summary = "Slices (merchant, device, bin_country, channel, amount_band...) ranked by their share of "
            + "the cohort's excess")
    public Uni<AnalysisViews.Slices> slices(@QueryParam("cohort") String cohort, @QueryParam("metric") String metric,
            @QueryParam("by") String by, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("baseline_rate") String baselineRate, @QueryParam("limit") String limit) {
        Cohort c = Cohort.parse(cohort);
        LedgerMetric m = LedgerMetric.parse(metric);
        String attribute = by == null || by.isBlank() ? "merchant" : by;
        Cohort.column(attribute, "by");
        Double base = optionalDouble(baselineRate, "baseline_rate");
        int top = optionalInt(limit, "limit", 10, 1, 1000);
        return analyses.window(from, to).flatMap(w -> analyses.slices(c, m, w, attribute, base, top));
    }

    @GET
    @Path("/what-if")
    @Operation(summary = "A proposed threshold on logged scores and labels: reviews added, frauds newly caught, "
            + "flagged total against review capacity")
    public Uni<AnalysisViews.WhatIf> whatIf(@QueryParam("cohort") String cohort, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("threshold") String threshold,
            @QueryParam("current_threshold") String current, @QueryParam("model") String model,
            @QueryParam("payments") String payments, @QueryParam("review_capacity") String capacity) {
        Cohort c = Cohort.parse(cohort);
        double t = requiredDouble(threshold, "threshold");
        double cur = requiredDouble(current, "current_threshold");
        Double cap = optionalDouble(capacity, "review_capacity");
        Long volume = payments == null || payments.isBlank() ? null : (long) optionalInt(payments, "payments", 0, 0,
                Integer.MAX_VALUE);
        String m = model == null || model.isBlank() ? null : Cohort.text(model.strip(), "model");
        // Validated before the ledger is read: a bad threshold is a 400 whatever the data.
        if (!(t > 0 && t < 1)) {
            throw new InvalidAnalysisException("threshold", "must lie strictly between 0 and 1, got " + t);
        }
        if (!(cur > 0 && cur < 1)) {
            throw new InvalidAnalysisException("current_threshold", "must lie strictly between 0 and 1, got " + cur);
        }
        return analyses.window(from, to).flatMap(w -> analyses.whatIf(c, w, t, cur, m, volume, cap));
    }

    @GET
    @Path("/funnel")
    @Operation(summary = "Per channel, step conversions before vs after a time with CIs, the step that moved named")
    public Uni<AnalysisViews.Funnel> funnel(@QueryParam("cohort") String cohort, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("at") String at) {
        Cohort c = Cohort.parse(cohort);
        Instant change = requiredInstant(at, "at");
        return analyses.window(from, to).flatMap(w -> analyses.funnel(c, w, change));
    }

    @GET
    @Path("/funnel/chart.svg")
    @Produces("image/svg+xml")
    @Operation(summary = "The funnel before / after as SVG, one panel per channel")
    public Uni<Response> funnelChart(@QueryParam("cohort") String cohort, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("at") String at) {
        return funnel(cohort, from, to, at).map(f -> Response.ok(FunnelChart.render(f), "image/svg+xml").build());
    }

    @GET
    @Path("/did")
    @Operation(summary = "Difference-in-differences of a cohort against unaffected cohorts around a change time")
    public Uni<AnalysisViews.DiD> did(@QueryParam("cohort") String cohort, @QueryParam("control") String control,
            @QueryParam("metric") String metric, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("at") String at) {
        Cohort c = Cohort.parse(cohort);
        if (control != null && !control.isBlank()) {
            Cohort.parse(control, "control");
        }
        LedgerMetric m = LedgerMetric.parse(metric);
        Instant change = requiredInstant(at, "at");
        return analyses.window(from, to).flatMap(w -> analyses.did(c, control, m, w, change));
    }

    @GET
    @Path("/switchback")
    @Operation(summary = "Block length and number of blocks of a switchback test for an effect, from the cohort's "
            + "measured volume, rate and between-hour variation")
    public Uni<AnalysisViews.Switchback> switchback(@QueryParam("cohort") String cohort,
            @QueryParam("metric") String metric, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("effect") String effect, @QueryParam("carry_over_hours") String carryOver,
            @QueryParam("alpha") String alpha, @QueryParam("power") String power) {
        Cohort c = Cohort.parse(cohort);
        LedgerMetric m = LedgerMetric.parse(metric);
        double e = requiredDouble(effect, "effect");
        double co = orDefault(optionalDouble(carryOver, "carry_over_hours"), 0.5);
        double a = orDefault(optionalDouble(alpha, "alpha"), 0.05);
        double p = orDefault(optionalDouble(power, "power"), 0.8);
        return analyses.window(from, to).flatMap(w -> analyses.switchback(c, m, w, e, co, a, p));
    }

    @GET
    @Path("/cases")
    @Operation(summary = "A stratified sample of decisions (outcome x score band) with features, reasons and "
            + "outcomes; account and card ids masked")
    public Uni<AnalysisViews.Cases> cases(@QueryParam("cohort") String cohort, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("per_stratum") String perStratum) {
        Cohort c = Cohort.parse(cohort);
        int k = optionalInt(perStratum, "per_stratum", 5, 1, 50);
        return analyses.window(from, to).flatMap(w -> analyses.cases(c, w, k));
    }

    private static double orDefault(Double v, double d) {
        return v == null ? d : v;
    }

    static Double optionalDouble(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            double v = Double.parseDouble(text.strip());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidAnalysisException(field, "not a finite number: '" + text + "'");
        }
    }

    static double requiredDouble(String text, String field) {
        Double v = optionalDouble(text, field);
        if (v == null) {
            throw new InvalidAnalysisException(field, "required");
        }
        return v;
    }

    static int optionalInt(String text, String field, int dflt, int min, int max) {
        if (text == null || text.isBlank()) {
            return dflt;
        }
        int v;
        try {
            v = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidAnalysisException(field, "not a whole number: '" + text + "'");
        }
        if (v < min || v > max) {
            throw new InvalidAnalysisException(field, "must lie in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    static Instant requiredInstant(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new InvalidAnalysisException(field, "required (ISO-8601, e.g. 2026-11-27T09:00:00Z)");
        }
        return Window.instant(text, field);
    }
}
