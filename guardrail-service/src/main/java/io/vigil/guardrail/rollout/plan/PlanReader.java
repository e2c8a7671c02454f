package io.vigil.guardrail.rollout.plan;

import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.vigil.guardrail.aggregation.CohortExpression;
import io.vigil.guardrail.aggregation.WatchedRollout;
import io.vigil.guardrail.evaluation.GuardrailAction;
import io.vigil.guardrail.evaluation.GuardrailMetric;

/**
 * Reads a rollout plan from JSON or YAML (snake_case, the same fields either way) and refuses, with the path of the
 * field, anything that cannot run: unknown fields, metrics, cohort attributes or actions; a margin without a unit;
 * shares that do not strictly increase within (0, 1] (1 only on the last step); a step without minimum exposure or
 * duration; a margin on a guardrail judged against its capacity, a capacity or period on one that has none, a ceiling
 * on a metric that takes none (or with a margin), a capacity not above 0, a period that is not one; a sign-off role named twice; alpha outside (0, 0.5). Walks the document tree by hand rather than binding
 * it, so that a wrong type is reported at its path too ({@code steps[1].share: must be a number}).
 */
public final class PlanReader {

    /** A version as scoring-service accepts it. */
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(s|m|h|d)");
    private static final Set<String> TOP = Set.of("target", "steps", "guardrails", "alpha", "reason");
    private static final Set<String> TARGET = Set.of("model_version", "policy_version");
    private static final Set<String> STEP = Set.of("share", "minimum_duration", "minimum_exposure", "sign_off");
    private static final Set<String> GUARDRAIL = Set.of("name", "metric", "cohort", "margin", "direction", "action",
            "capacity", "period", "ceiling");
    static final int MAX_STEPS = 20;

    private final ObjectMapper json = new ObjectMapper();
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    public RolloutPlan readJson(byte[] body) {
        return read(tree(body, false));
    }

    public RolloutPlan readYaml(byte[] body) {
        return read(tree(body, true));
    }

    /** The document tree of a JSON or YAML plan (what a rollout stores, as JSON, and reads again with {@link #read}). */
    public JsonNode tree(byte[] body, boolean isYaml) {
        ObjectMapper mapper = isYaml ? yaml : json;
        String format = isYaml ? "YAML" : "JSON";
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new PlanValidationException("body", "not valid " + format + " (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        } catch (IOException e) {
            throw new PlanValidationException("body", "cannot be read as " + format);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new PlanValidationException("body", "a plan is required");
        }
        return root;
    }

    /** Validates a plan's document tree. */
    public RolloutPlan read(JsonNode root) {
        object(root, "body", TOP);
        JsonNode target = root.get("target");
        if (target == null) {
            throw new PlanValidationException("target", "required: model_version and/or policy_version");
        }
        object(target, "target", TARGET);
        String model = optionalVersion(target, "model_version", "target.model_version");
        String policy = optionalVersion(target, "policy_version", "target.policy_version");
        if (model == null && policy == null) {
            throw new PlanValidationException("target", "name a model_version, a policy_version or both");
        }
        double alpha = root.has("alpha") ? number(root.get("alpha"), "alpha") : 0.05;
        if (!(alpha > 0 && alpha < 0.5)) {
            throw new PlanValidationException("alpha", "must be within (0, 0.5), got " + alpha);
        }
        String reason = root.has("reason") ? text(root.get("reason"), "reason") : null;
        List<PlanStep> steps = steps(root.get("steps"));
        List<PlanGuardrail> guardrails = guardrails(root.get("guardrails"));
        return new RolloutPlan(model, policy, steps, guardrails, alpha, reason);
    }

    private List<PlanStep> steps(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new PlanValidationException("steps", "a list of at least one step is required");
        }
        if (node.size() > MAX_STEPS) {
            throw new PlanValidationException("steps", "at most " + MAX_STEPS + " steps, got " + node.size());
        }
        List<PlanStep> out = new ArrayList<>();
        double previous = 0;
        for (int i = 0; i < node.size(); i++) {
            String at = "steps[" + i + "]";
            JsonNode s = node.get(i);
            object(s, at, STEP);
            if (!s.has("share")) {
                throw new PlanValidationException(at + ".share", "required, within (0, 1]");
            }
            double share = number(s.get("share"), at + ".share");
            if (!(share > 0 && share <= 1)) {
                throw new PlanValidationException(at + ".share", "must be within (0, 1], got " + share);
            }
            if (share <= previous) {
                throw new PlanValidationException(at + ".share", "shares must strictly increase: " + share
                        + " follows " + previous);
            }
            if (share == 1 && i != node.size() - 1) {
                throw new PlanValidationException(at + ".share", "share 1 (all traffic) can only be the last step");
            }
            previous = share;
            if (!s.has("minimum_exposure")) {
                throw new PlanValidationException(at + ".minimum_exposure",
                        "required: the exposure each arm needs in every watched cohort before the step may pass");
            }
            JsonNode exposureNode = s.get("minimum_exposure");
            if (!exposureNode.canConvertToLong() || !exposureNode.isIntegralNumber() || exposureNode.asLong() < 1) {
                throw new PlanValidationException(at + ".minimum_exposure", "must be a whole number >= 1");
            }
            if (!s.has("minimum_duration")) {
                throw new PlanValidationException(at + ".minimum_duration", "required, e.g. 30m, 2h or PT1H");
            }
            Duration duration = duration(s.get("minimum_duration"), at + ".minimum_duration");
            List<String> signOff = new ArrayList<>();
            if (s.has("sign_off")) {
                JsonNode roles = s.get("sign_off");
                if (!roles.isArray()) {
                    throw new PlanValidationException(at + ".sign_off", "must be a list of role names");
                }
                for (int r = 0; r < roles.size(); r++) {
                    String role = name(roles.get(r), at + ".sign_off[" + r + "]");
                    if (signOff.contains(role)) {
                        throw new PlanValidationException(at + ".sign_off[" + r + "]", "role '" + role
                                + "' is named twice");
                    }
                    signOff.add(role);
                }
            }
            out.add(new PlanStep(share, duration, exposureNode.asLong(), signOff));
        }
        return out;
    }

    private List<PlanGuardrail> guardrails(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new PlanValidationException("guardrails", "a list of at least one guardrail is required");
        }
        if (node.size() > WatchedRollout.MAX_GUARDRAILS) {
            throw new PlanValidationException("guardrails", "at most " + WatchedRollout.MAX_GUARDRAILS
                    + " guardrails, got " + node.size());
        }
        List<PlanGuardrail> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "guardrails[" + i + "]";
            JsonNode g = node.get(i);
            object(g, at, GUARDRAIL);
            String name = name(required(g, "name", at), at + ".name");
            if (!names.add(name)) {
                throw new PlanValidationException(at + ".name", "guardrail '" + name + "' is named twice");
            }
            String metricText = text(required(g, "metric", at), at + ".metric");
            GuardrailMetric metric = byName(GuardrailMetric.class, metricText, at + ".metric");
            String cohort;
            try {
                cohort = CohortExpression.parse(g.has("cohort") ? text(g.get("cohort"), at + ".cohort") : "")
                        .toString();
            } catch (IllegalArgumentException e) {
                throw new PlanValidationException(at + ".cohort", e.getMessage());
            }
            Margin margin = null;
            Limit limit = null;
            if (metric.statistic() == GuardrailMetric.Statistic.LOAD) {
                if (g.has("margin")) {
                    throw new PlanValidationException(at + ".margin", metric + " is judged against its capacity, not "
                            + "with a margin: write capacity and period, e.g. capacity: 1200, period: 1h");
                }
                if (g.has("ceiling")) {
                    throw new PlanValidationException(at + ".ceiling", metric + " takes no ceiling; CHARGEBACK_RATE "
                            + "does");
                }
                limit = capacity(g, at, metric);
            } else {
                for (String field : List.of("capacity", "period")) {
                    if (g.has(field)) {
                        throw new PlanValidationException(at + "." + field, metric + " has no capacity; "
                                + "REVIEW_QUEUE_LOAD and STEP_UP_BUDGET do");
                    }
                }
                if (g.has("ceiling")) {
                    limit = ceiling(g, at, metric);
                } else {
                    margin = margin(g, at, metric);
                }
            }
            if (g.has("direction")) {
                String direction = text(g.get("direction"), at + ".direction").toUpperCase(Locale.ROOT);
                // The metric fixes which way is harm; a plan may state it, and must then state it right.
                if (!direction.equals(metric.badDirection().name())) {
                    throw new PlanValidationException(at + ".direction", metric + " is "
                            + metric.badDirection().name().toLowerCase(Locale.ROOT) + ", not "
                            + direction.toLowerCase(Locale.ROOT));
                }
            }
            GuardrailAction action = g.has("action")
                    ? byName(GuardrailAction.class, text(g.get("action"), at + ".action"), at + ".action")
                    : GuardrailAction.ROLLBACK;
            out.add(new PlanGuardrail(name, metric, cohort, margin, action, limit));
        }
        return out;
    }

    private static Margin margin(JsonNode g, String at, GuardrailMetric metric) {
        JsonNode marginNode = required(g, "margin", at);
        if (!marginNode.isTextual()) {
            throw new PlanValidationException(at + ".margin", "'" + marginNode.asText() + "' has no unit; write "
                    + "it with one, e.g. " + (metric.statistic() == GuardrailMetric.Statistic.QUANTILE ? "5ms"
                            : "0.5pp"));
        }
        try {
            return Margin.parse(marginNode.asText(), metric);
        } catch (IllegalArgumentException e) {
            throw new PlanValidationException(at + ".margin", e.getMessage());
        }
    }

    /** {@code ceiling: 0.9%} (or {@code 90bp}): on a metric that takes one, instead of a margin. */
    private static Limit ceiling(JsonNode g, String at, GuardrailMetric metric) {
        if (!metric.takesCeiling()) {
            throw new PlanValidationException(at + ".ceiling", metric + " takes no ceiling; CHARGEBACK_RATE does");
        }
        if (g.has("margin")) {
            throw new PlanValidationException(at + ".ceiling", "give a margin (against the control arm) or a ceiling "
                    + "(on the treatment's rate), not both");
        }
        JsonNode c = g.get("ceiling");
        if (!c.isTextual()) {
            throw new PlanValidationException(at + ".ceiling", "'" + c.asText() + "' has no unit; write it with one "
                    + "(% or bp), e.g. 0.9%");
        }
        try {
            return Limit.ceiling(c.asText());
        } catch (IllegalArgumentException e) {
            throw new PlanValidationException(at + ".ceiling", e.getMessage());
        }
    }

    /** {@code capacity: 1200, period: 1h}: a LOAD metric's events per period (filled from defaults at creation). */
    private static Limit capacity(JsonNode g, String at, GuardrailMetric metric) {
        JsonNode c = g.get("capacity");
        if (c == null || c.isNull()) {
            throw new PlanValidationException(at + ".capacity", "required: the " + (metric
                    == GuardrailMetric.STEP_UP_BUDGET ? "step-ups" : "reviews") + " per period "
                    + "it may take, e.g. capacity: 1200, period: 1h");
        }
        double value = capacityValue(c, at + ".capacity");
        JsonNode p = g.get("period");
        if (p == null || p.isNull()) {
            throw new PlanValidationException(at + ".period", "required with a capacity: hour, day, week or a "
                    + "duration such as 30m or 1h");
        }
        return Limit.capacity(value, period(p, at + ".period"));
    }

    /** A capacity in events per period: a number > 0. */
    public static double capacityValue(JsonNode c, String at) {
        double value = number(c, at);
        if (!(value > 0)) {
            throw new PlanValidationException(at, "must be a number > 0 (events per period), got " + c.asText());
        }
        return value;
    }

    /** A capacity's period: {@code hour}, {@code day}, {@code week}, or a duration from a minute to 365 days. */
    public static Duration period(JsonNode v, String at) {
        String s = text(v, at).strip().toLowerCase(Locale.ROOT);
        Duration d = switch (s) {
            case "hour" -> Duration.ofHours(1);
            case "day" -> Duration.ofDays(1);
            case "week" -> Duration.ofDays(7);
            default -> {
                try {
                    yield duration(v, at);
                } catch (PlanValidationException e) {
                    throw new PlanValidationException(at, "'" + v.asText() + "' is not a period: hour, day, week or "
                            + "a duration such as 30m, 1h or PT1H");
                }
            }
        };
        if (d.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new PlanValidationException(at, "a period is at least a minute, got " + v.asText());
        }
        return d;
    }

    /**
     * The plan's tree with the configured capacity written into every REVIEW_QUEUE_LOAD / STEP_UP_BUDGET guardrail
     * that names none (and the configured period into one that names a capacity without a period), so that the stored
     * plan says what is judged. Anything else, however wrong, is left for {@link #read} to refuse.
     */
    public JsonNode withDefaults(JsonNode root, CapacityDefaults defaults) {
        JsonNode copy = root.deepCopy();
        JsonNode all = copy.get("guardrails");
        if (all == null || !all.isArray()) {
            return copy;
        }
        for (JsonNode g : all) {
            if (!(g instanceof ObjectNode o) || !o.path("metric").isTextual()) {
                continue;
            }
            GuardrailMetric metric = null;
            for (GuardrailMetric m : GuardrailMetric.values()) {
                if (m.name().equalsIgnoreCase(o.get("metric").asText().strip())) {
                    metric = m;
                }
            }
            if (metric == null || metric.statistic() != GuardrailMetric.Statistic.LOAD) {
                continue;
            }
            if (!o.has("capacity") && !o.has("period")) {
                o.put("capacity", defaults.perPeriod(metric));
                o.put("period", Limit.periodText(defaults.period()));
            } else if (o.has("capacity") && !o.has("period")) {
                o.put("period", Limit.periodText(defaults.period()));
            }
        }
        return copy;
    }

    private static void object(JsonNode node, String at, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw new PlanValidationException(at, "must be an object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new PlanValidationException(("body".equals(at) ? "" : at + ".") + f, "unknown field; known: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    private static JsonNode required(JsonNode node, String field, String at) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new PlanValidationException(at + "." + field, "required");
        }
        return v;
    }

    private static String optionalVersion(JsonNode node, String field, String at) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String s = text(v, at);
        if (!VERSION.matcher(s).matches()) {
            throw new PlanValidationException(at, "1-64 letters, digits, '.', '_' or '-'");
        }
        return s;
    }

    private static String name(JsonNode v, String at) {
        String s = text(v, at);
        if (!NAME.matcher(s).matches()) {
            throw new PlanValidationException(at, "1-64 letters, digits, '.', '_' or '-'");
        }
        return s;
    }

    private static String text(JsonNode v, String at) {
        if (v == null || !v.isTextual()) {
            throw new PlanValidationException(at, "must be a string");
        }
        return v.asText();
    }

    private static double number(JsonNode v, String at) {
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new PlanValidationException(at, "must be a number");
        }
        return v.asDouble();
    }

    private static <E extends Enum<E>> E byName(Class<E> type, String text, String at) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(text.strip())) {
                return e;
            }
        }
        List<String> known = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            known.add(e.name());
        }
        throw new PlanValidationException(at, "unknown " + ("metric".equals(at.substring(at.lastIndexOf('.') + 1))
                ? "metric" : "value") + " '" + text + "'; known: " + String.join(", ", known));
    }

    /** {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT1H30M}); at least one second. */
    static Duration duration(JsonNode v, String at) {
        String s = text(v, at).strip();
        Duration d;
        Matcher m = SHORT_DURATION.matcher(s);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } else {
                d = Duration.parse(s);
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new PlanValidationException(at, "'" + s + "' is not a duration such as 30m, 2h or PT1H");
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofDays(365)) > 0) {
            throw new PlanValidationException(at, "must be between 1s and 365d, got " + s);
        }
        return d;
    }
}
