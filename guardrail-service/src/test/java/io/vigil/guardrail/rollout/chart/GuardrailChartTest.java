package io.vigil.guardrail.rollout.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class GuardrailChartTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void drawsEstimateBoundsMarginAndVerdictsAsWellFormedSvg() throws Exception {
        // harm 0 .. 1 pp over one hour; the margin at 0.5 pp
        List<GuardrailChart.Point> points = List.of(
                new GuardrailChart.Point(T0, 0.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "HOLD"),
                new GuardrailChart.Point(T0.plusSeconds(1800), 0.5, 0.0, 1.0, "CONTINUE"),
                new GuardrailChart.Point(T0.plusSeconds(3600), 1.0, 0.75, 1.25, "ROLLBACK"));
        String svg = GuardrailChart.render("ro-1 · conversion <CA & 18-24>", "pp", 0.5, points);
        Document doc = parse(svg);
        Element root = doc.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
        assertTrue(svg.contains("conversion &lt;CA &amp; 18-24&gt;"));

        // Scale worked by hand: lo = min(0, -margin, bounds) = -0.5, hi = 1.25; pad = 1.75 * 0.08 = 0.14, so the axis
        // spans [-0.64, 1.39]: y(v) = 40 + (1.39 - v) / 2.03 * 240; x(t) = 70 + (t - t0) / 3600 s * 630
        NodeList lines = doc.getElementsByTagName("polyline");
        assertEquals(1, lines.getLength());
        assertEquals("70.0,204.3 385.0,145.2 700.0,86.1", ((Element) lines.item(0)).getAttribute("points"));
        NodeList circles = doc.getElementsByTagName("circle");
        assertEquals(3, circles.getLength());
        Element rollback = (Element) circles.item(2);
        assertEquals("verdict ROLLBACK", rollback.getAttribute("class"));
        assertEquals("#d62728", rollback.getAttribute("fill"));
        assertEquals("700.0", rollback.getAttribute("cx"));
        // margin line at y(0.5) = 40 + 0.89 / 2.03 * 240 = 145.2
        Element margin = null;
        NodeList all = doc.getElementsByTagName("line");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if ("margin".equals(e.getAttribute("class"))) {
                margin = e;
            }
        }
        assertEquals("145.2", margin.getAttribute("y1"));
        // the band covers only the two bounded points: 2 upper + 2 lower vertices
        Element band = (Element) doc.getElementsByTagName("polygon").item(0);
        assertEquals(4, band.getAttribute("points").trim().split(" ").length);
    }

    @Test
    void drawsALoadAgainstItsCapacityLine() throws Exception {
        List<GuardrailChart.Point> points = List.of(
                new GuardrailChart.Point(T0, 1400, 1200, 1700, "HOLD"),
                new GuardrailChart.Point(T0.plusSeconds(3600), 1440, 1300, 1600, "HOLD"));
        String svg = GuardrailChart.renderAgainstLimit("ro-3 · review-queue", "/1h", "capacity", 1800,
                "reviews at the current share", points);
        Document doc = parse(svg);
        // lo = 0 (a load is not negative), hi = the capacity 1800; pad 144, so the axis spans [-144, 1944]:
        // y(v) = 40 + (1944 - v) / 2088 * 240: y(1400) = 102.5, y(1440) = 97.9, the capacity at y(1800) = 56.6
        assertEquals("70.0,102.5 700.0,97.9", ((Element) doc.getElementsByTagName("polyline").item(0))
                .getAttribute("points"));
        NodeList all = doc.getElementsByTagName("line");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if ("margin".equals(e.getAttribute("class"))) {
                assertEquals("56.6", e.getAttribute("y1"));
            }
        }
        assertTrue(svg.contains(">capacity 1800/1h</text>"), svg);
        assertTrue(svg.contains(">reviews at the current share (up is worse)</text>"), svg);
        assertTrue(svg.contains("HOLD: reviews at the current share 1440/1h"), svg);
    }

    @Test
    void saysSoWhenThereAreNoVerdictsYet() throws Exception {
        Document doc = parse(GuardrailChart.render("ro-2 · decline", "pp", 0.5, List.of()));
        assertTrue(doc.getDocumentElement().getTextContent().contains("no verdicts yet"));
    }
}
