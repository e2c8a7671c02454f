package io.vigil.guardrail.monitor.rest;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A monitor's hourly rate against its expected band as SVG: the band shaded, the rate as a line, alarms as red
 * and recoveries as green vertical marks. Plain string building, no library: an on-call lead reads it in a browser.
 */
final class MonitorChart {

    /** One hour: its rate (NaN without traffic) and the band expected (NaN without a baseline). */
    record Hour(Instant start, double rate, double bandLower, double bandUpper) {
    }

    /** An alarm (true) or recovery mark. */
    record Mark(Instant at, boolean alarm) {
    }

    private static final int W = 760;
    private static final int H = 300;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int BOTTOM = 40;

    private MonitorChart() {
    }

    static String render(String title, List<Hour> hours, List<Mark> marks) {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">", W, H, W, H));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\">%s</text>", LEFT,
                escape(title)));
        if (hours.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">no counts in this window (n = 0)</text>",
                    LEFT, H / 2));
            return svg.append("</svg>").toString();
        }
        double max = 0;
        for (Hour h : hours) {
            max = Math.max(max, finite(h.rate()));
            max = Math.max(max, finite(h.bandUpper()));
        }
        max = max <= 0 ? 1 : max * 1.1;
        long t0 = hours.get(0).start().getEpochSecond();
        long t1 = hours.get(hours.size() - 1).start().getEpochSecond() + 3600;
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        // Band: one shaded rectangle per hour that has a baseline.
        for (Hour h : hours) {
            if (Double.isNaN(h.bandLower()) || Double.isNaN(h.bandUpper())) {
                continue;
            }
            double x = LEFT + plotW * (h.start().getEpochSecond() - t0) / (t1 - t0);
            double w = plotW * 3600.0 / (t1 - t0);
            double yTop = TOP + plotH * (1 - h.bandUpper() / max);
            double yBottom = TOP + plotH * (1 - h.bandLower() / max);
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "fill=\"#9ecae1\" fill-opacity=\"0.5\"/>", x, yTop, w, Math.max(0.5, yBottom - yTop)));
        }
        StringBuilder line = new StringBuilder();
        for (Hour h : hours) {
            if (Double.isNaN(h.rate())) {
                continue;
            }
            double x = LEFT + plotW * (h.start().getEpochSecond() + 1800 - t0) / (t1 - t0);
            double y = TOP + plotH * (1 - h.rate() / max);
            line.append(line.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
        }
        svg.append("<path d=\"").append(line).append("\" fill=\"none\" stroke=\"#08519c\" stroke-width=\"2\"/>");
        for (Mark m : marks) {
            double x = LEFT + plotW * (m.at().getEpochSecond() - t0) / (t1 - t0);
            if (x < LEFT || x > W - RIGHT) {
                continue;
            }
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"2\"><title>%s %s</title></line>", x, TOP, x, H - BOTTOM,
                    m.alarm() ? "#cb181d" : "#238b45", m.alarm() ? "alarm" : "recovered", m.at()));
        }
        // Axes: the rate in percent at 0, half and the top; the window's start and end in UTC.
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>",
                LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM));
        for (double f : new double[] {0, 0.5, 1}) {
            double y = TOP + plotH * (1 - f);
            svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%.1f\">%.2f%%</text>", y + 4, 100 * f * max));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", LEFT, H - 12,
                hours.get(0).start()));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", W - RIGHT,
                H - 12, Instant.ofEpochSecond(t1)));
        return svg.append("</svg>").toString();
    }

    private static double finite(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? 0 : v;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
