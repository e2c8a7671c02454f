package io.vigil.riskmodel.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SplittableRandom;

/** Writes small XGBoost-3.0-shaped JSON models for tests, and lets a test break them on purpose. */
public final class ModelJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One tree in XGBoost's node numbering: node 0 is the root, -1 children mark a leaf. */
    public record Tree(int[] left, int[] right, int[] split, double[] condition, int[] defaultLeft, double[] cover) {
    }

    public final ObjectNode root = MAPPER.createObjectNode();

    public ModelJson(int numFeature, String baseScore, List<Tree> trees) {
        ArrayNode version = root.putArray("version");
        version.add(3).add(0).add(4);
        ObjectNode learner = root.putObject("learner");
        learner.putObject("attributes");
        ArrayNode names = learner.putArray("feature_names");
        for (int i = 0; i < numFeature; i++) {
            names.add("x" + i);
        }
        learner.putArray("feature_types");
        ObjectNode params = learner.putObject("learner_model_param");
        params.put("base_score", baseScore).put("boost_from_average", "1").put("num_class", "0")
                .put("num_feature", Integer.toString(numFeature)).put("num_target", "1");
        learner.putObject("objective").put("name", "binary:logistic");
        ObjectNode booster = learner.putObject("gradient_booster");
        booster.put("name", "gbtree");
        ObjectNode model = booster.putObject("model");
        model.putObject("gbtree_model_param").put("num_parallel_tree", "1").put("num_trees",
                Integer.toString(trees.size()));
        ArrayNode indptr = model.putArray("iteration_indptr");
        ArrayNode info = model.putArray("tree_info");
        ArrayNode treeArray = model.putArray("trees");
        indptr.add(0);
        for (int t = 0; t < trees.size(); t++) {
            Tree tree = trees.get(t);
            indptr.add(t + 1);
            info.add(0);
            ObjectNode node = treeArray.addObject();
            int n = tree.left().length;
            node.put("id", t);
            node.putObject("tree_param").put("num_deleted", "0").put("num_feature", Integer.toString(numFeature))
                    .put("num_nodes", Integer.toString(n)).put("size_leaf_vector", "1");
            ints(node.putArray("left_children"), tree.left());
            ints(node.putArray("right_children"), tree.right());
            ints(node.putArray("split_indices"), tree.split());
            doubles(node.putArray("split_conditions"), tree.condition());
            ints(node.putArray("default_left"), tree.defaultLeft());
            ints(node.putArray("split_type"), new int[n]);
            doubles(node.putArray("sum_hessian"), tree.cover());
            doubles(node.putArray("base_weights"), new double[n]);
            doubles(node.putArray("loss_changes"), new double[n]);
            int[] parents = new int[n];
            parents[0] = 2147483647;
            for (int i = 0; i < n; i++) {
                if (tree.left()[i] >= 0) {
                    parents[tree.left()[i]] = i;
                    parents[tree.right()[i]] = i;
                }
            }
            ints(node.putArray("parents"), parents);
            node.putArray("categories");
            node.putArray("categories_nodes");
            node.putArray("categories_segments");
            node.putArray("categories_sizes");
        }
    }

    private static void ints(ArrayNode a, int[] values) {
        for (int v : values) {
            a.add(v);
        }
    }

    private static void doubles(ArrayNode a, double[] values) {
        for (double v : values) {
            a.add((float) v);
        }
    }

    public ObjectNode learner() {
        return (ObjectNode) root.get("learner");
    }

    public ObjectNode tree(int t) {
        return (ObjectNode) root.get("learner").get("gradient_booster").get("model").get("trees").get(t);
    }

    public byte[] bytes() {
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public TreeEnsemble load() {
        return new XGBoostJsonLoader().parse(bytes());
    }

    /**
     * The two-tree model the hand-worked tests use. Tree 0: x0 &lt; 0.5 (missing left) ? -1.0 (cover 30) :
     * (x1 &lt; 2.0 (missing right) ? 0.5 (cover 50) : 2.0 (cover 20)). Tree 1: a single leaf 0.25.
     */
    public static ModelJson handWorked(String baseScore) {
        Tree t0 = new Tree(new int[] {1, -1, 3, -1, -1}, new int[] {2, -1, 4, -1, -1}, new int[] {0, 0, 1, 0, 0},
                new double[] {0.5, -1.0, 2.0, 0.5, 2.0}, new int[] {1, 0, 0, 0, 0}, new double[] {100, 30, 70, 50, 20});
        Tree t1 = new Tree(new int[] {-1}, new int[] {-1}, new int[] {0}, new double[] {0.25}, new int[] {0},
                new double[] {100});
        return new ModelJson(2, baseScore, List.of(t0, t1));
    }

    /** A random full-ish tree over {@code features} features with random thresholds, leaves and covers. */
    public static Tree randomTree(SplittableRandom rnd, int features, int depth) {
        int maxNodes = (1 << (depth + 1)) - 1;
        int[] left = new int[maxNodes];
        int[] right = new int[maxNodes];
        int[] split = new int[maxNodes];
        double[] cond = new double[maxNodes];
        int[] defaultLeft = new int[maxNodes];
        double[] cover = new double[maxNodes];
        int[] count = {1};
        build(rnd, 0, depth, features, left, right, split, cond, defaultLeft, cover, count, 100 + rnd.nextInt(900));
        int n = count[0];
        return new Tree(java.util.Arrays.copyOf(left, n), java.util.Arrays.copyOf(right, n),
                java.util.Arrays.copyOf(split, n), java.util.Arrays.copyOf(cond, n),
                java.util.Arrays.copyOf(defaultLeft, n), java.util.Arrays.copyOf(cover, n));
    }

    private static void build(SplittableRandom rnd, int node, int depth, int features, int[] left, int[] right,
            int[] split, double[] cond, int[] defaultLeft, double[] cover, int[] count, double nodeCover) {
        cover[node] = nodeCover;
        if (depth == 0 || (node > 0 && rnd.nextDouble() < 0.2)) {
            left[node] = -1;
            right[node] = -1;
            cond[node] = Math.round((rnd.nextDouble() * 2 - 1) * 1000) / 1000.0;
            return;
        }
        int l = count[0]++;
        int r = count[0]++;
        left[node] = l;
        right[node] = r;
        split[node] = rnd.nextInt(features);
        cond[node] = rnd.nextInt(5);
        defaultLeft[node] = rnd.nextInt(2);
        double share = 0.1 + 0.8 * rnd.nextDouble();
        build(rnd, l, depth - 1, features, left, right, split, cond, defaultLeft, cover, count, nodeCover * share);
        build(rnd, r, depth - 1, features, left, right, split, cond, defaultLeft, cover, count,
                nodeCover * (1 - share));
    }
}
