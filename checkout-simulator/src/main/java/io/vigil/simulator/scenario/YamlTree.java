package io.vigil.simulator.scenario;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * A YAML document as a tree that remembers the line of every value, so a refusal can name the field and the line.
 * (Jackson's own JsonNode drops token locations.) Scalars keep their text; the schema decides what they mean.
 */
final class YamlTree {

    enum Kind {
        MAP, LIST, SCALAR, NULL
    }

    /** One value at {@code path} (e.g. {@code changes[1].cohort_risk[0].multiplier}), starting on {@code line}. */
    record Node(Kind kind, String path, int line, String text, Map<String, Node> fields, List<Node> items) {

        Node field(String name) {
            return fields.get(name);
        }

        InvalidScenarioException invalid(String problem) {
            return new InvalidScenarioException(path, line, problem);
        }
    }

    private YamlTree() {
    }

    static Node parse(Reader reader) throws IOException {
        try (JsonParser parser = new YAMLFactory().createParser(reader)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidScenarioException("(document)", 1, "is empty");
            }
            return read(parser, "");
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new InvalidScenarioException("(document)", line, "is not valid YAML: " + e.getOriginalMessage());
        }
    }

    private static Node read(JsonParser p, String path) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        String shown = path.isEmpty() ? "(document)" : path;
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> fields = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    String child = path.isEmpty() ? name : path + "." + name;
                    if (fields.containsKey(name)) {
                        throw new InvalidScenarioException(child, keyLine, "appears twice");
                    }
                    p.nextToken();
                    fields.put(name, read(p, child));
                }
                return new Node(Kind.MAP, shown, line, null, fields, List.of());
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, shown + "[" + i++ + "]"));
                }
                return new Node(Kind.LIST, shown, line, null, Map.of(), items);
            }
            case VALUE_NULL -> {
                return new Node(Kind.NULL, shown, line, null, Map.of(), List.of());
            }
            default -> {
                return new Node(Kind.SCALAR, shown, line, p.getText(), Map.of(), List.of());
            }
        }
    }
}
