package io.vigil.guardrail.analysis.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.vigil.guardrail.analysis.ledger.AnalysisViews;

/**
 * The funnel before and after a change as plain SVG, one panel per channel: each step's conversion before (grey) and
 * after (blue, red where the drop is significant) as bars with their 95% intervals as whiskers, the broken step named
 * in the panel's title. Every text is XML-escaped; the output is a well-formed standalone document.
 */
final class FunnelChart {

    static final int PANEL_WIDTH = 360;
    static final int PANEL_HEIGHT = 240;
    static final int LEFT = 50;
    static final int TOP = 50;
    static final int BOTTOM = 60;

    private FunnelChart() {
    }

    static String render(AnalysisViews.Funnel f) {
        List<AnalysisViews.ChannelFunnel> panels = new ArrayList<>();
        for (AnalysisViews.ChannelFunnel c : f.channels()) {
            if (!c.steps().isEmpty()) {
                panels.add(c);
            }
        }
        int width = Math.max(1, panels.size()) * PANEL_WIDTH;
        int height = PANEL_HEIGHT + TOP;
        StringBuilder svg = new StringBuilder(4096);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        String title = "Funnel of " + f.cohort() + " before / after " + f.at();
        svg.append("<title>").append(escape(title)).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append("<text x=\"10\" y=\"18\" font-size=\"13\">").append(escape(title)).append("</text>\n");
        if (panels.isEmpty()) {
            svg.append("<text x=\"10\" y=\"").append(height / 2).append("\">no data on both sides of the change")
                    .append("</text>\n</svg>\n");
            return svg.toString();
        }
        for (int p = 0; p < panels.size(); p++) {
            panel(svg, panels.get(p), p * PANEL_WIDTH);
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void panel(StringBuilder svg, AnalysisViews.ChannelFunnel c, int x0) {
        int plotTop = TOP;
        int plotBottom = TOP + PANEL_HEIGHT - BOTTOM;
        int plotLeft = x0 + LEFT;
        int plotRight = x0 + PANEL_WIDTH - 10;
        svg.append("<g class=\"channel\" data-channel=\"").append(escape(c.channel())).append("\">\n");
        svg.append("<text x=\"").append(plotLeft).append("\" y=\"").append(TOP - 12).append("\" font-size=\"12\">")
                .append(escape(c.channel() + (c.brokenStep() == null ? ": no step dropped"
                        : ": broken step '" + c.brokenStep() + "'")))
                .append("</text>\n");
        svg.append("<line x1=\"").append(plotLeft).append("\" y1=\"").append(plotBottom).append("\" x2=\"")
                .append(plotRight).append("\" y2=\"").append(plotBottom).append("\" stroke=\"#999\"/>\n");
        for (double v : new double[] {0, 0.5, 1}) {
            double y = y(v, plotTop, plotBottom);
            svg.append("<text x=\"").append(plotLeft - 5).append("\" y=\"").append(f(y + 4))
                    .append("\" text-anchor=\"end\">").append((int) (v * 100)).append("%</text>\n");
        }
        int steps = c.steps().size();
        double slot = (plotRight - plotLeft) / (double) steps;
        for (int i = 0; i < steps; i++) {
            AnalysisViews.StepView s = c.steps().get(i);
            double sx = plotLeft + i * slot;
            double bar = slot * 0.35;
            bar(svg, sx + slot * 0.1, bar, s.before(), "#bbbbbb", "before", plotTop, plotBottom);
            bar(svg, sx + slot * 0.1 + bar, bar, s.after(), s.significantDrop() ? "#d62728" : "#1f77b4", "after",
                    plotTop, plotBottom);
            svg.append("<text x=\"").append(f(sx + slot / 2)).append("\" y=\"").append(plotBottom + 14)
                    .append("\" text-anchor=\"middle\" font-size=\"9\">").append(escape(s.step())).append("</text>\n");
        }
        svg.append("</g>\n");
    }

    private static void bar(StringBuilder svg, double x, double w, AnalysisViews.Rate r, String colour, String side,
            int top, int bottom) {
        if (r.rate() == null) {
            return;
        }
        double y = y(r.rate(), top, bottom);
        svg.append("<rect class=\"").append(side).append("\" x=\"").append(f(x)).append("\" y=\"").append(f(y))
                .append("\" width=\"").append(f(w)).append("\" height=\"").append(f(bottom - y)).append("\" fill=\"")
                .append(colour).append("\"><title>").append(side).append(' ')
                .append(String.format(Locale.ROOT, "%.2f%% of %,d", 100 * r.rate(), r.n())).append("</title></rect>\n");
        if (r.ci() != null) {
            double cx = x + w / 2;
            svg.append("<line x1=\"").append(f(cx)).append("\" x2=\"").append(f(cx)).append("\" y1=\"")
                    .append(f(y(r.ci().lower(), top, bottom))).append("\" y2=\"")
                    .append(f(y(r.ci().upper(), top, bottom))).append("\" stroke=\"black\"/>\n");
        }
    }

    private static double y(double v, int top, int bottom) {
        return bottom - v * (bottom - top);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
