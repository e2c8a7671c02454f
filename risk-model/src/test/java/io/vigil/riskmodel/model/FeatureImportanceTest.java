package io.vigil.riskmodel.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureImportanceTest {

    @Test
    void shouldSumTheCoverOfEverySplitPerFeature() {
        // Hand-worked model: tree 0 splits x0 at the root (cover 100) and x1 below it (cover 70); tree 1 is a leaf.
        TreeEnsemble model = ModelJson.handWorked("5E-1").load();
        assertArrayEquals(new double[] {100, 70}, FeatureImportance.totalCover(model), 1e-4);
        assertArrayEquals(new int[] {0, 1}, FeatureImportance.ranking(model));
    }

    @Test
    void shouldRankByTotalCoverAcrossTreesAndLeaveOutUnusedFeatures() {
        // Tree A: x2 at the root (cover 10), x1 below (cover 6). Tree B: x1 at the root (cover 10). x0 and x3 unused.
        ModelJson.Tree a = new ModelJson.Tree(new int[] {1, -1, 3, -1, -1}, new int[] {2, -1, 4, -1, -1},
                new int[] {2, 0, 1, 0, 0}, new double[] {0.5, 0.1, 0.5, 0.2, 0.3}, new int[] {1, 0, 0, 0, 0},
                new double[] {10, 4, 6, 3, 3});
        ModelJson.Tree b = new ModelJson.Tree(new int[] {1, -1, -1}, new int[] {2, -1, -1}, new int[] {1, 0, 0},
                new double[] {0.5, 0.1, 0.2}, new int[] {1, 0, 0}, new double[] {10, 5, 5});
        TreeEnsemble model = new ModelJson(4, "5E-1", List.of(a, b)).load();
        assertArrayEquals(new double[] {0, 16, 10, 0}, FeatureImportance.totalCover(model), 1e-4);
        assertArrayEquals(new int[] {1, 2}, FeatureImportance.ranking(model));
    }
}
