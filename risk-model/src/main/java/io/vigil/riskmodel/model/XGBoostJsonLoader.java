package io.vigil.riskmodel.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an XGBoost JSON model (as written by {@code Booster.save_model("m.json")}, XGBoost 1.7 to 3.x) into a
 * {@link TreeEnsemble}. Only what this evaluator reproduces exactly is accepted: objective binary:logistic, the gbtree
 * booster, numerical splits, one output. Everything else is refused with a message naming what is unsupported, because
 * a model evaluated with the wrong semantics would score silently wrong.
 */
public final class XGBoostJsonLoader {

    /** Decimal floats are kept as BigDecimal so that thresholds round to float once, exactly as XGBoost wrote them. */
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    public TreeEnsemble load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes);
    }

    public TreeEnsemble load(InputStream in) {
        try {
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new ModelLoadException("cannot read model: " + e.getMessage(), e);
        }
    }

    public TreeEnsemble parse(byte[] json) {
        int first = 0;
        while (first < json.length && Character.isWhitespace(json[first])) {
            first++;
        }
        if (first == json.length) {
            throw new ModelLoadException("model file is empty");
        }
        int second = first + 1;
        while (second < json.length && Character.isWhitespace(json[second])) {
            second++;
        }
        // UBJSON also opens an object with '{', but follows it with a length marker where JSON has a quoted key.
        boolean ubjson = second < json.length && "iUIlL$#".indexOf(json[second]) >= 0;
        if (json[first] != '{' || ubjson) {
            throw new UnsupportedModelException("model is not XGBoost JSON (UBJSON and the legacy binary format are "
                    + "unsupported: save the model with a .json file name)");
        }
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelLoadException("model file is not valid JSON: " + e.getOriginalMessage()
                    + " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", e);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read model: " + e.getMessage(), e);
        }
        return fromJson(root);
    }

    private TreeEnsemble fromJson(JsonNode root) {
        String version = version(root);
        JsonNode learner = field(root, "learner", "learner");

        String objective = text(field(field(learner, "objective", "learner.objective"), "name", "learner.objective.name"));
        if (!"binary:logistic".equals(objective)) {
            throw new UnsupportedModelException(
                    "objective '" + objective + "' is unsupported: only binary:logistic models can be evaluated");
        }
        JsonNode booster = field(learner, "gradient_booster", "learner.gradient_booster");
        String boosterName = text(field(booster, "name", "learner.gradient_booster.name"));
        if (!"gbtree".equals(boosterName)) {
            throw new UnsupportedModelException("booster '" + boosterName + "' is unsupported: only gbtree models "
                    + "can be evaluated (dart drops trees at random and gblinear has no trees)");
        }

        JsonNode params = field(learner, "learner_model_param", "learner.learner_model_param");
        int numFeature = intOf(field(params, "num_feature", "learner_model_param.num_feature"),
                "learner_model_param.num_feature");
        if (numFeature <= 0) {
            throw new ModelLoadException("learner_model_param.num_feature must be positive, got " + numFeature);
        }
        int numClass = params.has("num_class") ? intOf(params.get("num_class"), "learner_model_param.num_class") : 0;
        int numTarget = params.has("num_target") ? intOf(params.get("num_target"), "learner_model_param.num_target") : 1;
        if (numClass > 1 || numTarget != 1) {
            throw new UnsupportedModelException("multi-output models are unsupported (num_class=" + numClass
                    + ", num_target=" + numTarget + ")");
        }
        double baseScore = baseScore(field(params, "base_score", "learner_model_param.base_score"));

        List<String> names = featureNames(learner, numFeature);

        JsonNode model = field(booster, "model", "gradient_booster.model");
        JsonNode trees = field(model, "trees", "gradient_booster.model.trees");
        if (!trees.isArray()) {
            throw new ModelLoadException("gradient_booster.model.trees must be an array");
        }
        JsonNode treeInfo = model.get("tree_info");
        if (treeInfo != null) {
            for (JsonNode group : treeInfo) {
                if (group.asInt(-1) != 0) {
                    throw new UnsupportedModelException("tree_info assigns a tree to output group " + group
                            + ": only single-output models are supported");
                }
            }
        }
        int bestIteration = bestIteration(learner);
        int used = treesUsed(model, trees.size(), bestIteration);

        int nodes = 0;
        for (int t = 0; t < used; t++) {
            nodes += FlatTrees.nodeCount(trees.get(t), t);
        }
        FlatTrees flat = new FlatTrees(used, nodes);
        for (int t = 0; t < used; t++) {
            flat.add(trees.get(t), t, numFeature);
        }
        // XGBoost's ProbToMargin, in float as XGBoost computes it, so margins agree to the last bit it keeps.
        float p = (float) baseScore;
        double baseMargin = (float) -Math.log(1.0f / p - 1.0f);
        ModelInfo info = new ModelInfo(version, baseScore, trees.size(), bestIteration);
        return new TreeEnsemble(names, flat.roots(), flat.feature(), flat.value(), flat.left(), flat.missing(),
                flat.cover(), baseMargin, info);
    }

    private static String version(JsonNode root) {
        JsonNode v = root.get("version");
        if (v == null || !v.isArray() || v.size() < 2) {
            throw new ModelLoadException("model JSON lacks the XGBoost 'version' field: is this an XGBoost model?");
        }
        int major = v.get(0).asInt();
        int minor = v.get(1).asInt();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < v.size(); i++) {
            text.append(i == 0 ? "" : ".").append(v.get(i).asText());
        }
        if (major < 1 || (major == 1 && minor < 7) || major > 3) {
            throw new UnsupportedModelException(
                    "model written by XGBoost " + text + " is unsupported: versions 1.7 to 3.x are supported");
        }
        return text.toString();
    }

    private static double baseScore(JsonNode node) {
        String raw = node.asText().trim();
        // XGBoost >= 3.1 writes a vector "[5E-1]"; older versions a scalar "5E-1".
        if (raw.startsWith("[") && raw.endsWith("]")) {
            raw = raw.substring(1, raw.length() - 1).trim();
            if (raw.contains(",")) {
                throw new UnsupportedModelException("base_score has several values (" + node.asText()
                        + "): only single-output models are supported");
            }
        }
        double p;
        try {
            p = Float.parseFloat(raw);
        } catch (NumberFormatException e) {
            throw new ModelLoadException("learner_model_param.base_score is not a number: '" + node.asText() + "'");
        }
        if (!(p > 0.0 && p < 1.0)) {
            throw new ModelLoadException(
                    "learner_model_param.base_score must be a probability strictly between 0 and 1, got " + p);
        }
        return p;
    }

    private static List<String> featureNames(JsonNode learner, int numFeature) {
        JsonNode types = learner.get("feature_types");
        JsonNode names = learner.get("feature_names");
        List<String> result = new ArrayList<>(numFeature);
        if (names != null && names.isArray() && names.size() > 0) {
            if (names.size() != numFeature) {
                throw new ModelLoadException("learner.feature_names has " + names.size()
                        + " names but num_feature is " + numFeature);
            }
            names.forEach(n -> result.add(n.asText()));
        } else {
            for (int i = 0; i < numFeature; i++) {
                result.add("f" + i);
            }
        }
        if (types != null && types.isArray()) {
            for (int i = 0; i < types.size(); i++) {
                if ("c".equals(types.get(i).asText())) {
                    throw new UnsupportedModelException("feature '" + (i < result.size() ? result.get(i) : "f" + i)
                            + "' is categorical: categorical features are unsupported");
                }
            }
        }
        return result;
    }

    private static int bestIteration(JsonNode learner) {
        JsonNode attributes = learner.get("attributes");
        if (attributes == null || !attributes.has("best_iteration")) {
            return -1;
        }
        String raw = attributes.get("best_iteration").asText();
        try {
            int best = Integer.parseInt(raw.trim());
            if (best < 0) {
                throw new NumberFormatException();
            }
            return best;
        } catch (NumberFormatException e) {
            throw new ModelLoadException("learner.attributes.best_iteration is not a non-negative integer: '" + raw + "'");
        }
    }

    /** Trees that count: all of them, or the first best_iteration + 1 boosting rounds after early stopping. */
    private static int treesUsed(JsonNode model, int treesInFile, int bestIteration) {
        if (bestIteration < 0) {
            return treesInFile;
        }
        JsonNode indptr = model.get("iteration_indptr");
        int used;
        if (indptr != null && indptr.isArray() && indptr.size() > 0) {
            if (bestIteration + 1 >= indptr.size()) {
                throw new ModelLoadException("best_iteration " + bestIteration + " is beyond the "
                        + (indptr.size() - 1) + " boosting rounds in the model");
            }
            used = indptr.get(bestIteration + 1).asInt();
        } else {
            JsonNode param = model.get("gbtree_model_param");
            int parallel = param != null && param.has("num_parallel_tree")
                    ? intOf(param.get("num_parallel_tree"), "gbtree_model_param.num_parallel_tree") : 1;
            used = (bestIteration + 1) * Math.max(1, parallel);
        }
        if (used > treesInFile || used <= 0) {
            throw new ModelLoadException("best_iteration " + bestIteration + " needs " + used + " trees but the model has "
                    + treesInFile);
        }
        return used;
    }

    static JsonNode field(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            throw new ModelLoadException("model JSON lacks field '" + path + "'");
        }
        return node;
    }

    private static String text(JsonNode node) {
        return node.asText();
    }

    static int intOf(JsonNode node, String path) {
        if (node.isIntegralNumber()) {
            return node.intValue();
        }
        try {
            return Integer.parseInt(node.asText().trim());
        } catch (NumberFormatException e) {
            throw new ModelLoadException("field '" + path + "' is not an integer: '" + node.asText() + "'");
        }
    }

    /** Accumulates trees into flat arrays, re-laying each tree out so that sibling nodes are adjacent. */
    private static final class FlatTrees {
        private final int[] roots;
        private final int[] feature;
        private final float[] value;
        private final int[] left;
        private final int[] missing;
        private final double[] cover;
        private int trees;
        private int size;

        FlatTrees(int treeCount, int nodeCount) {
            roots = new int[treeCount];
            feature = new int[nodeCount];
            value = new float[nodeCount];
            left = new int[nodeCount];
            missing = new int[nodeCount];
            cover = new double[nodeCount];
        }

        static int nodeCount(JsonNode tree, int t) {
            String where = "tree " + t;
            JsonNode param = field(tree, "tree_param", where + ".tree_param");
            int n = intOf(field(param, "num_nodes", where + ".tree_param.num_nodes"), where + ".tree_param.num_nodes");
            if (n <= 0) {
                throw new ModelLoadException(where + " has no nodes");
            }
            if (param.has("size_leaf_vector")) {
                int leafVector = intOf(param.get("size_leaf_vector"), where + ".tree_param.size_leaf_vector");
                if (leafVector > 1) {
                    throw new UnsupportedModelException(where + " has vector leaves (size_leaf_vector=" + leafVector
                            + "): multi-target trees are unsupported");
                }
            }
            return n;
        }

        void add(JsonNode tree, int t, int numFeature) {
            String where = "tree " + t;
            int n = nodeCount(tree, t);
            int[] lc = ints(tree, "left_children", n, where);
            int[] rc = ints(tree, "right_children", n, where);
            int[] split = ints(tree, "split_indices", n, where);
            float[] cond = floats(tree, "split_conditions", n, where);
            double[] hess = doubles(tree, "sum_hessian", n, where);
            boolean[] defaultLeft = booleans(tree, "default_left", n, where);
            JsonNode splitType = tree.get("split_type");
            if (splitType != null) {
                for (JsonNode s : splitType) {
                    if (s.asInt() != 0) {
                        throw new UnsupportedModelException(where + " has a categorical split: categorical splits are "
                                + "unsupported");
                    }
                }
            }
            JsonNode categories = tree.get("categories");
            if (categories != null && categories.size() > 0) {
                throw new UnsupportedModelException(where + " has categorical split categories: categorical splits are "
                        + "unsupported");
            }

            // Breadth-first re-layout; each node is checked to be reached exactly once so a corrupt file cannot loop.
            int base = size;
            int[] newIndex = new int[n];
            Arrays.fill(newIndex, -1);
            int[] queue = new int[n];
            int head = 0;
            int tail = 0;
            queue[tail++] = 0;
            newIndex[0] = size++;
            while (head < tail) {
                int old = queue[head++];
                int at = newIndex[old];
                boolean leaf = lc[old] == -1;
                if (leaf != (rc[old] == -1)) {
                    throw new ModelLoadException(where + " node " + old + " has exactly one child");
                }
                cover[at] = hess[old];
                if (leaf) {
                    if (!Float.isFinite(cond[old])) {
                        throw new ModelLoadException(where + " leaf " + old + " has a non-finite value " + cond[old]);
                    }
                    feature[at] = -1;
                    value[at] = cond[old];
                    left[at] = -1;
                    missing[at] = -1;
                    continue;
                }
                for (int child : new int[] {lc[old], rc[old]}) {
                    if (child <= 0 || child >= n) {
                        throw new ModelLoadException(
                                where + " node " + old + " has child " + child + " outside 1.." + (n - 1));
                    }
                    if (newIndex[child] != -1) {
                        throw new ModelLoadException(where + " node " + child + " is reached twice: the tree is corrupt");
                    }
                }
                if (split[old] < 0 || split[old] >= numFeature) {
                    throw new ModelLoadException(where + " node " + old + " splits on feature " + split[old]
                            + " but the model has " + numFeature + " features");
                }
                if (Float.isNaN(cond[old])) {
                    throw new ModelLoadException(where + " node " + old + " has a NaN split condition");
                }
                int l = size;
                size += 2;
                newIndex[lc[old]] = l;
                newIndex[rc[old]] = l + 1;
                queue[tail++] = lc[old];
                queue[tail++] = rc[old];
                feature[at] = split[old];
                value[at] = cond[old];
                left[at] = l;
                missing[at] = defaultLeft[old] ? l : l + 1;
            }
            roots[trees++] = base;
        }

        int[] roots() {
            return roots;
        }

        int[] feature() {
            return Arrays.copyOf(feature, size);
        }

        float[] value() {
            return Arrays.copyOf(value, size);
        }

        int[] left() {
            return Arrays.copyOf(left, size);
        }

        int[] missing() {
            return Arrays.copyOf(missing, size);
        }

        double[] cover() {
            return Arrays.copyOf(cover, size);
        }
    }

    private static JsonNode array(JsonNode tree, String name, int n, String where) {
        JsonNode a = field(tree, name, where + "." + name);
        if (!a.isArray() || a.size() != n) {
            throw new ModelLoadException(where + "." + name + " must be an array of num_nodes=" + n + " values, has "
                    + (a.isArray() ? a.size() : 0));
        }
        return a;
    }

    private static int[] ints(JsonNode tree, String name, int n, String where) {
        JsonNode a = array(tree, name, n, where);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            JsonNode v = a.get(i);
            if (!v.isIntegralNumber()) {
                throw new ModelLoadException(where + "." + name + "[" + i + "] is not an integer: " + v);
            }
            out[i] = v.intValue();
        }
        return out;
    }

    private static float[] floats(JsonNode tree, String name, int n, String where) {
        JsonNode a = array(tree, name, n, where);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            JsonNode v = a.get(i);
            if (!v.isNumber()) {
                throw new ModelLoadException(where + "." + name + "[" + i + "] is not a number: " + v);
            }
            // Parse the decimal text straight to float: going through double could round twice.
            out[i] = v.isIntegralNumber() ? v.floatValue() : Float.parseFloat(v.decimalValue().toString());
        }
        return out;
    }

    private static double[] doubles(JsonNode tree, String name, int n, String where) {
        JsonNode a = array(tree, name, n, where);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            JsonNode v = a.get(i);
            if (!v.isNumber()) {
                throw new ModelLoadException(where + "." + name + "[" + i + "] is not a number: " + v);
            }
            out[i] = Float.parseFloat(v.asText());
        }
        return out;
    }

    private static boolean[] booleans(JsonNode tree, String name, int n, String where) {
        JsonNode a = array(tree, name, n, where);
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            JsonNode v = a.get(i);
            if (v.isBoolean()) {
                out[i] = v.booleanValue();
            } else if (v.isIntegralNumber() && (v.intValue() == 0 || v.intValue() == 1)) {
                out[i] = v.intValue() == 1;
            } else {
                throw new ModelLoadException(where + "." + name + "[" + i + "] is not 0/1: " + v);
            }
        }
        return out;
    }
}
