package io.vigil.features.contract;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads a feature set from its YAML contract file (JSON is valid YAML, so REST bodies in JSON parse too). Every
 * problem is reported as an {@link InvalidContractException} naming the field path, e.g. {@code features[3].type}.
 */
public final class FeatureSetParser {

    private static final Set<String> SET_KEYS = Set.of("feature_set", "version", "description", "owner", "features");
    private static final Set<String> FEATURE_KEYS = Set.of("name", "entity", "type", "unit", "range", "values",
            "nullable", "freshness", "owner", "description", "sentinels", "sources");
    private static final Set<String> RANGE_KEYS = Set.of("min", "max", "min_exclusive", "max_exclusive");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    public FeatureSet parse(String text) {
        JsonNode root;
        try {
            root = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidContractException("(document)", "not valid YAML: " + e.getOriginalMessage());
        }
        return fromTree(root);
    }

    public FeatureSet parse(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    public FeatureSet parse(InputStream in) throws IOException {
        return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }

    FeatureSet fromTree(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidContractException("(document)", "expected a mapping with feature_set, version, features");
        }
        unknownKeys(root, SET_KEYS, "");
        String name = text(root, "feature_set", "feature_set", true);
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new InvalidContractException("feature_set", "must be lower-case letters, digits and '-', got '" + name + "'");
        }
        JsonNode v = root.get("version");
        if (v == null || !v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > Integer.MAX_VALUE) {
            throw new InvalidContractException("version", "must be a positive integer");
        }
        JsonNode fs = root.get("features");
        if (fs == null || !fs.isArray() || fs.isEmpty()) {
            throw new InvalidContractException("features", "must be a non-empty list");
        }
        List<FeatureContract> features = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < fs.size(); i++) {
            FeatureContract f = feature(fs.get(i), "features[" + i + "]");
            if (!names.add(f.name())) {
                throw new InvalidContractException("features[" + i + "].name", "duplicate feature '" + f.name() + "'");
            }
            features.add(f);
        }
        return new FeatureSet(name, v.asInt(), text(root, "description", "description", false),
                text(root, "owner", "owner", false), features);
    }

    private FeatureContract feature(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            throw new InvalidContractException(path, "expected a mapping");
        }
        unknownKeys(n, FEATURE_KEYS, path + ".");
        String name = text(n, "name", path + ".name", true);
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new InvalidContractException(path + ".name", "must be snake_case, got '" + name + "'");
        }
        String entityText = text(n, "entity", path + ".entity", true);
        EntityKind entity = EntityKind.parse(entityText);
        if (entity == null) {
            throw new InvalidContractException(path + ".entity",
                    "unknown entity '" + entityText + "' (account, card, device, merchant)");
        }
        String typeText = text(n, "type", path + ".type", true);
        FeatureType type = FeatureType.parse(typeText);
        if (type == null) {
            throw new InvalidContractException(path + ".type",
                    "unknown type '" + typeText + "' (double, long, bool, enum, string)");
        }
        FeatureContract.Range range = range(n.get("range"), type, path + ".range");
        List<String> values = strings(n.get("values"), path + ".values");
        if (type == FeatureType.ENUM && values.isEmpty()) {
            throw new InvalidContractException(path + ".values", "an enum feature needs its allowed values");
        }
        if (type != FeatureType.ENUM && !values.isEmpty()) {
            throw new InvalidContractException(path + ".values", "only enum features list allowed values");
        }
        JsonNode nullable = n.get("nullable");
        if (nullable != null && !nullable.isBoolean()) {
            throw new InvalidContractException(path + ".nullable", "must be true or false");
        }
        String freshText = text(n, "freshness", path + ".freshness", true);
        Duration freshness;
        try {
            freshness = Duration.parse(freshText);
        } catch (DateTimeParseException e) {
            throw new InvalidContractException(path + ".freshness", "not an ISO-8601 duration (e.g. PT1H, P2D): '" + freshText + "'");
        }
        if (freshness.isNegative() || freshness.isZero()) {
            throw new InvalidContractException(path + ".freshness", "must be positive");
        }
        List<Object> sentinels = new ArrayList<>();
        JsonNode s = n.get("sentinels");
        if (s != null && !s.isNull()) {
            if (!s.isArray()) {
                throw new InvalidContractException(path + ".sentinels", "must be a list");
            }
            for (int i = 0; i < s.size(); i++) {
                Object raw = RawValues.fromJson(s.get(i));
                Object canonical = RawValues.canonical(raw, type);
                if (canonical == null) {
                    throw new InvalidContractException(path + ".sentinels[" + i + "]",
                            "not a " + type.yamlName() + " value: " + s.get(i));
                }
                sentinels.add(canonical);
            }
        }
        return new FeatureContract(name, entity, type, text(n, "unit", path + ".unit", false), range, values,
                nullable != null && nullable.asBoolean(), freshness, text(n, "owner", path + ".owner", false),
                text(n, "description", path + ".description", false), sentinels,
                strings(n.get("sources"), path + ".sources"));
    }

    private static FeatureContract.Range range(JsonNode r, FeatureType type, String path) {
        if (r == null || r.isNull()) {
            return FeatureContract.Range.UNBOUNDED;
        }
        if (!type.numeric()) {
            throw new InvalidContractException(path, "only double and long features have a range");
        }
        if (!r.isObject()) {
            throw new InvalidContractException(path, "expected a mapping with min and/or max");
        }
        unknownKeys(r, RANGE_KEYS, path + ".");
        Double min = number(r.get("min"), path + ".min");
        Double max = number(r.get("max"), path + ".max");
        if (min != null && max != null && min > max) {
            throw new InvalidContractException(path, "min " + min + " is above max " + max);
        }
        return new FeatureContract.Range(min, max, bool(r.get("min_exclusive"), path + ".min_exclusive"),
                bool(r.get("max_exclusive"), path + ".max_exclusive"));
    }

    private static Double number(JsonNode n, String path) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            throw new InvalidContractException(path, "must be a number");
        }
        return n.asDouble();
    }

    private static boolean bool(JsonNode n, String path) {
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw new InvalidContractException(path, "must be true or false");
        }
        return n.asBoolean();
    }

    private static List<String> strings(JsonNode n, String path) {
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new InvalidContractException(path, "must be a list");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isValueNode() || n.get(i).isNull()) {
                throw new InvalidContractException(path + "[" + i + "]", "must be a string");
            }
            out.add(n.get(i).asText());
        }
        if (new HashSet<>(out).size() != out.size()) {
            throw new InvalidContractException(path, "has duplicates");
        }
        return out;
    }

    private static String text(JsonNode n, String key, String path, boolean required) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidContractException(path, "required");
            }
            return "";
        }
        if (!v.isValueNode()) {
            throw new InvalidContractException(path, "must be a string");
        }
        String t = v.asText();
        if (required && t.isBlank()) {
            throw new InvalidContractException(path, "required");
        }
        return t;
    }

    private static void unknownKeys(JsonNode n, Set<String> allowed, String prefix) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new InvalidContractException(prefix + k, "unknown key (allowed: " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
    }
}
