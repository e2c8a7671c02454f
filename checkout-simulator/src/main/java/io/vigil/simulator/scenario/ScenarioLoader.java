package io.vigil.simulator.scenario;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vigil.riskmodel.population.Cohort;
import io.vigil.riskmodel.population.CohortRiskShift;
import io.vigil.riskmodel.population.DefaultedField;
import io.vigil.simulator.outcome.OutcomeParameter;
import io.vigil.simulator.outcome.OutcomeRates;
import io.vigil.simulator.scenario.YamlTree.Kind;
import io.vigil.simulator.scenario.YamlTree.Node;

/**
 * Reads a scenario file and refuses anything it does not understand, naming the field and its line: unknown keys,
 * wrong types, probabilities outside [0, 1], unknown features, cohorts or channels, changes out of time order.
 * The format is documented in checkout-simulator/README.md.
 */
public final class ScenarioLoader {

    private static final Set<String> TOP = Set.of("name", "description", "seed", "seed_volume", "outcome_rates",
            "changes");
    private static final Set<String> CHANGE = Set.of("at", "note", "cohort_risk", "feature_defaults",
            "feature_latency", "step_up_breakage", "traffic_multiplier", "challenger");
    private static final Set<String> CHANNELS = Set.of("web", "app", "voice");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(d|h|m|s|ms)");

    /** A scenario by name from {@code dir} ({@code <dir>/<name>.yaml}), or a path to a file. */
    public static Scenario load(String nameOrPath, Path dir) throws IOException {
        Path file = Path.of(nameOrPath);
        if (!Files.isRegularFile(file)) {
            file = dir.resolve(nameOrPath + ".yaml");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidScenarioException("scenario", 0, "no scenario '" + nameOrPath + "' (neither a file nor "
                    + dir.resolve(nameOrPath + ".yaml") + ")");
        }
        try (Reader r = Files.newBufferedReader(file)) {
            return parse(r);
        }
    }

    public static Scenario parse(String yaml) {
        try {
            return parse(new StringReader(yaml));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Scenario parse(Reader reader) throws IOException {
        Node root = YamlTree.parse(reader);
        requireMap(root, TOP);
        String name = text(required(root, "name"));
        String description = root.field("description") == null ? "" : text(root.field("description"));
        String seed = root.field("seed") == null ? "" : text(root.field("seed"));
        long seedVolume = root.field("seed_volume") == null ? 0 : (long) number(root.field("seed_volume"), 0, 1e12);
        OutcomeRates rates = rates(root.field("outcome_rates"));
        List<ScenarioChange> changes = new ArrayList<>();
        Node list = root.field("changes");
        if (list != null) {
            if (list.kind() != Kind.LIST) {
                throw list.invalid("must be a list of changes");
            }
            Duration previous = Duration.ZERO;
            for (Node c : list.items()) {
                ScenarioChange change = change(c);
                if (change.at().compareTo(previous) < 0) {
                    throw c.field("at").invalid("changes must be in time order (" + change.at() + " comes after "
                            + previous + ")");
                }
                previous = change.at();
                changes.add(change);
            }
        }
        return new Scenario(name, description, seed, seedVolume, rates, changes);
    }

    private static OutcomeRates rates(Node node) {
        if (node == null) {
            return OutcomeRates.defaults();
        }
        if (node.kind() != Kind.MAP) {
            throw node.invalid("must be a map of parameter: value");
        }
        Map<OutcomeParameter, Double> overrides = new EnumMap<>(OutcomeParameter.class);
        for (Map.Entry<String, Node> e : node.fields().entrySet()) {
            OutcomeParameter p = OutcomeParameter.byKey(e.getKey());
            if (p == null) {
                throw e.getValue().invalid("unknown outcome parameter (see checkout-simulator/README.md)");
            }
            overrides.put(p, p.probability() ? number(e.getValue(), 0, 1) : number(e.getValue(), 0, 1e6));
        }
        try {
            return OutcomeRates.with(overrides);
        } catch (IllegalArgumentException e) {
            throw node.invalid(e.getMessage());
        }
    }

    private static ScenarioChange change(Node c) {
        requireMap(c, CHANGE);
        Node atNode = required(c, "at");
        Duration at = duration(atNode);
        String note = c.field("note") == null ? "" : text(c.field("note"));

        List<CohortRiskShift> risk = null;
        Node riskNode = c.field("cohort_risk");
        if (riskNode != null) {
            risk = new ArrayList<>();
            for (Node item : list(riskNode)) {
                requireMap(item, Set.of("cohort", "multiplier"));
                Cohort cohort = cohort(required(item, "cohort"));
                Node m = required(item, "multiplier");
                risk.add(new CohortRiskShift(cohort, number(m, 0, 1000)));
            }
        }
        List<DefaultedField> defaults = null;
        Node defaultsNode = c.field("feature_defaults");
        if (defaultsNode != null) {
            defaults = new ArrayList<>();
            for (Node item : list(defaultsNode)) {
                requireMap(item, Set.of("feature", "value", "segment"));
                Node f = required(item, "feature");
                Node v = required(item, "value");
                Node s = item.field("segment");
                String text = text(f) + "=" + text(v) + (s == null ? "" : "@" + text(s));
                try {
                    defaults.add(DefaultedField.parse(text));
                } catch (IllegalArgumentException e) {
                    throw item.invalid(e.getMessage());
                }
            }
        }
        World.FeatureLatency latency = null;
        Node latencyNode = c.field("feature_latency");
        if (latencyNode != null) {
            if (latencyNode.kind() == Kind.SCALAR && "off".equals(latencyNode.text())) {
                latency = World.FeatureLatency.NONE;
            } else {
                requireMap(latencyNode, Set.of("pause", "every"));
                Duration pause = duration(required(latencyNode, "pause"));
                Duration every = duration(required(latencyNode, "every"));
                if (pause.isZero() || pause.compareTo(every) >= 0) {
                    throw latencyNode.field("pause").invalid("must be positive and shorter than every");
                }
                latency = new World.FeatureLatency(pause.toMillis(), every.toMillis());
            }
        }
        Map<String, Double> breakage = null;
        Node breakageNode = c.field("step_up_breakage");
        if (breakageNode != null) {
            if (breakageNode.kind() != Kind.MAP) {
                throw breakageNode.invalid("must map a channel (web, app, voice) to a share in [0, 1]");
            }
            breakage = new LinkedHashMap<>();
            for (Map.Entry<String, Node> e : breakageNode.fields().entrySet()) {
                if (!CHANNELS.contains(e.getKey())) {
                    throw e.getValue().invalid("unknown channel (web, app or voice)");
                }
                breakage.put(e.getKey(), number(e.getValue(), 0, 1));
            }
        }
        Double traffic = c.field("traffic_multiplier") == null ? null : number(c.field("traffic_multiplier"), 0.01, 100);
        World.Challenger challenger = null;
        Node ch = c.field("challenger");
        if (ch != null) {
            requireMap(ch, Set.of("model", "share", "register_path"));
            String model = text(required(ch, "model"));
            if (!model.matches("[A-Za-z0-9._-]{1,64}")) {
                throw ch.field("model").invalid("must be a model version (letters, digits, . _ -)");
            }
            challenger = new World.Challenger(model, number(required(ch, "share"), 0, 1),
                    ch.field("register_path") == null ? null : text(ch.field("register_path")));
        }
        return new ScenarioChange(at, c.line(), note, risk, defaults, latency, breakage, traffic, challenger);
    }

    private static Cohort cohort(Node n) {
        try {
            return Cohort.parse(text(n));
        } catch (IllegalArgumentException e) {
            throw n.invalid(e.getMessage());
        }
    }

    private static void requireMap(Node n, Set<String> allowed) {
        if (n.kind() != Kind.MAP) {
            throw n.invalid("must be a map with keys " + new java.util.TreeSet<>(allowed));
        }
        for (Map.Entry<String, Node> e : n.fields().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw e.getValue().invalid("unknown key (allowed: " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
    }

    private static Node required(Node map, String field) {
        Node n = map.field(field);
        if (n == null || n.kind() == Kind.NULL) {
            String path = map.path().equals("(document)") ? field : map.path() + "." + field;
            throw new InvalidScenarioException(path, map.line(), "is required");
        }
        return n;
    }

    private static List<Node> list(Node n) {
        if (n.kind() != Kind.LIST) {
            throw n.invalid("must be a list");
        }
        return n.items();
    }

    private static String text(Node n) {
        if (n.kind() != Kind.SCALAR) {
            throw n.invalid("must be a single value");
        }
        return n.text();
    }

    private static double number(Node n, double min, double max) {
        double v;
        try {
            v = Double.parseDouble(text(n));
        } catch (NumberFormatException e) {
            throw n.invalid("'" + n.text() + "' is not a number");
        }
        if (!(v >= min && v <= max)) {
            throw n.invalid("must lie in [" + trim(min) + ", " + trim(max) + "], got " + n.text());
        }
        return v;
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** A command-line duration in the scenario files' syntax. */
    public static Duration parseDuration(String text) {
        Node n = new Node(Kind.SCALAR, "duration", 0, text, Map.of(), List.of());
        try {
            return duration(n);
        } catch (InvalidScenarioException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 90m, 2h, 1d, 250ms, PT2H)");
        }
    }

    /** {@code 90m}, {@code 2h}, {@code 1.5d}, {@code 250ms}, {@code 0}, or ISO-8601 ({@code PT2H}). */
    static Duration duration(Node n) {
        String t = text(n).trim();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = SHORT_DURATION.matcher(t);
        if (m.matches()) {
            double v = Double.parseDouble(m.group(1));
            double millis = switch (m.group(2)) {
                case "d" -> v * 86_400_000;
                case "h" -> v * 3_600_000;
                case "m" -> v * 60_000;
                case "s" -> v * 1_000;
                default -> v;
            };
            return Duration.ofMillis(Math.round(millis));
        }
        try {
            Duration d = Duration.parse(t);
            if (d.isNegative()) {
                throw n.invalid("must not be negative");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw n.invalid("'" + t + "' is not a duration (e.g. 90m, 2h, 1d, 250ms, PT2H)");
        }
    }

    private ScenarioLoader() {
    }
}
