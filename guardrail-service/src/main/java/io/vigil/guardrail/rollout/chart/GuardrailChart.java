package io.vigil.guardrail.rollout.chart;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * One guardrail's evidence over event time as plain SVG: the harm estimate (treatment minus control, turned so that
 * up is worse), its confidence-sequence bounds as a band where they are finite, the non-inferiority margin as a
 * dashed line, zero, and each verdict marked (ROLLBACK red, PROMOTE_STEP green, HOLD grey, CONTINUE blue). Every
 * text is XML-escaped; the output is a well-formed standalone document.
 */
public final class GuardrailChart {

    /** One stored verdict's evidence for this guardrail; bounds may be infinite (not bounded yet). */
    public record Point(Instant at, double harmEstimate, double harmLower, double harmUpper, String verdict) {
    }

    static final int WIDTH = 720;
    static final int HEIGHT = 320;
    static final int LEFT = 70;
    static final int RIGHT = 20;
    static final int TOP = 40;
    static final int BOTTOM = 40;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private GuardrailChart() {
    }

    public static String render(String title, String unit, double margin, List<Point> points) {
        return render(title, unit, "margin", margin, -margin, "harm", "harm (up is worse)", points);
    }

    /**
     * A guardrail judged against a limit of its own (a capacity, a ceiling): the value at the current share (load per
     * period, the treatment's projected rate) with its bounds, and the limit as the dashed line ({@code limitName}
     * e.g. "capacity"); the points carry the value, not a harm.
     */
    public static String renderAgainstLimit(String title, String unit, String limitName, double limit, String value,
            List<Point> points) {
        return render(title, unit, limitName, limit, 0, value, value + " (up is worse)", points);
    }

    private static String render(String title, String unit, String lineName, double margin, double floor,
            String value, String axis, List<Point> points) {
        StringBuilder svg = new StringBuilder(4096);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.append("<title>").append(escape(title)).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append("<text x=\"").append(LEFT).append("\" y=\"20\" font-size=\"13\">").append(escape(title))
                .append("</text>\n");
        if (points.isEmpty()) {
            svg.append("<text x=\"").append(LEFT).append("\" y=\"").append(HEIGHT / 2)
                    .append("\">no verdicts yet</text>\n</svg>\n");
            return svg.toString();
        }
        long t0 = points.get(0).at().toEpochMilli();
        long t1 = Math.max(t0 + 1, points.get(points.size() - 1).at().toEpochMilli());
        double lo = Math.min(0, floor);
        double hi = margin;
        for (Point p : points) {
            lo = Math.min(lo, finiteOr(p.harmLower(), p.harmEstimate()));
            hi = Math.max(hi, finiteOr(p.harmUpper(), p.harmEstimate()));
            lo = Math.min(lo, p.harmEstimate());
            hi = Math.max(hi, p.harmEstimate());
        }
        double pad = (hi - lo) * 0.08 + 1e-12;
        Scale s = new Scale(t0, t1, lo - pad, hi + pad);
        // axes and reference lines
        svg.append("<g stroke=\"#999\" fill=\"none\">");
        svg.append(line(LEFT, TOP, LEFT, HEIGHT - BOTTOM)).append(line(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT,
                HEIGHT - BOTTOM));
        svg.append("</g>\n");
        svg.append("<line class=\"zero\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                .append("\" y1=\"").append(f(s.y(0))).append("\" y2=\"").append(f(s.y(0)))
                .append("\" stroke=\"#666\"/>\n");
        svg.append("<line class=\"margin\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                .append("\" y1=\"").append(f(s.y(margin))).append("\" y2=\"").append(f(s.y(margin)))
                .append("\" stroke=\"#d62728\" stroke-dasharray=\"6 4\"/>\n");
        svg.append("<text x=\"").append(WIDTH - RIGHT - 4).append("\" y=\"").append(f(s.y(margin) - 4))
                .append("\" text-anchor=\"end\" fill=\"#d62728\">").append(escape(lineName + " " + number(margin) + unit))
                .append("</text>\n");
        // band of the harm bounds, only where both are finite
        StringBuilder upper = new StringBuilder();
        StringBuilder lower = new StringBuilder();
        for (Point p : points) {
            if (Double.isFinite(p.harmLower()) && Double.isFinite(p.harmUpper())) {
                upper.append(f(s.x(p.at().toEpochMilli()))).append(',').append(f(s.y(p.harmUpper()))).append(' ');
                lower.insert(0, f(s.x(p.at().toEpochMilli())) + "," + f(s.y(p.harmLower())) + " ");
            }
        }
        if (upper.length() > 0) {
            svg.append("<polygon class=\"bounds\" points=\"").append(upper).append(lower.toString().strip())
                    .append("\" fill=\"#1f77b4\" fill-opacity=\"0.18\" stroke=\"none\"/>\n");
        }
        svg.append("<polyline class=\"estimate\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"");
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            svg.append(i == 0 ? "" : " ").append(f(s.x(p.at().toEpochMilli()))).append(',')
                    .append(f(s.y(p.harmEstimate())));
        }
        svg.append("\"/>\n");
        for (Point p : points) {
            svg.append("<circle class=\"verdict ").append(escape(p.verdict())).append("\" cx=\"")
                    .append(f(s.x(p.at().toEpochMilli()))).append("\" cy=\"").append(f(s.y(p.harmEstimate())))
                    .append("\" r=\"3\" fill=\"").append(colour(p.verdict())).append("\"><title>")
                    .append(escape(TIME.format(p.at()) + " " + p.verdict() + ": " + value + " " + number(p.harmEstimate())
                            + unit))
                    .append("</title></circle>\n");
        }
        // labels
        svg.append("<text x=\"").append(LEFT).append("\" y=\"").append(HEIGHT - 12).append("\">")
                .append(TIME.format(Instant.ofEpochMilli(t0))).append("</text>\n");
        svg.append("<text x=\"").append(WIDTH - RIGHT).append("\" y=\"").append(HEIGHT - 12)
                .append("\" text-anchor=\"end\">").append(TIME.format(Instant.ofEpochMilli(t1))).append(" UTC</text>\n");
        svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(s.y(hi))).append("\" text-anchor=\"end\">")
                .append(escape(number(hi) + unit)).append("</text>\n");
        svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(s.y(lo))).append("\" text-anchor=\"end\">")
                .append(escape(number(lo) + unit)).append("</text>\n");
        svg.append("<text x=\"12\" y=\"").append(TOP - 6).append("\">").append(escape(axis)).append("</text>\n");
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Maps event time and harm to pixels. */
    record Scale(long t0, long t1, double lo, double hi) {
        double x(long t) {
            return LEFT + (double) (t - t0) / (t1 - t0) * (WIDTH - LEFT - RIGHT);
        }

        double y(double v) {
            return TOP + (hi - v) / (hi - lo) * (HEIGHT - TOP - BOTTOM);
        }
    }

    private static double finiteOr(double v, double otherwise) {
        return Double.isFinite(v) ? v : otherwise;
    }

    private static String colour(String verdict) {
        return switch (verdict) {
            case "ROLLBACK" -> "#d62728";
            case "PROMOTE_STEP" -> "#2ca02c";
            case "HOLD" -> "#7f7f7f";
            default -> "#1f77b4";
        };
    }

    private static String line(double x1, double y1, double x2, double y2) {
        return "<line x1=\"" + f(x1) + "\" y1=\"" + f(y1) + "\" x2=\"" + f(x2) + "\" y2=\"" + f(y2) + "\"/>";
    }

    static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
