package io.vigil.features.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompatibilityCheckerTest {

    private static final String BASE = "{name: age, entity: account, type: long, unit: days, range: {min: 0, max: 100}, "
            + "sentinels: [0], freshness: P1D, owner: a, description: d}";

    private static FeatureSet set(int version, String... features) {
        return new FeatureSetParser().parse("feature_set: s\nversion: " + version + "\nfeatures:\n"
                + String.join("\n", java.util.Arrays.stream(features).map(f -> "  - " + f).toList()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unchanged            | " + BASE + "| | false",
            "optional added       | " + BASE + "| {name: extra, entity: account, type: bool, nullable: true, freshness: P1D} | false",
            "required added       | " + BASE + "| {name: extra, entity: account, type: bool, freshness: P1D} | true",
            "type changed         | {name: age, entity: account, type: double, unit: days, range: {min: 0, max: 100}, sentinels: [0], freshness: P1D, owner: a, description: d}| | true",
            "unit changed         | {name: age, entity: account, type: long, unit: months, range: {min: 0, max: 100}, sentinels: [0], freshness: P1D, owner: a, description: d}| | true",
            "range widened        | {name: age, entity: account, type: long, unit: days, range: {min: 0, max: 200}, sentinels: [0], freshness: P1D, owner: a, description: d}| | true",
            "entity changed       | {name: age, entity: device, type: long, unit: days, range: {min: 0, max: 100}, sentinels: [0], freshness: P1D, owner: a, description: d}| | true",
            "sentinel changed     | {name: age, entity: account, type: long, unit: days, range: {min: 0, max: 100}, sentinels: [-1], freshness: P1D, owner: a, description: d}| | true",
            "made nullable        | {name: age, entity: account, type: long, unit: days, range: {min: 0, max: 100}, sentinels: [0], nullable: true, freshness: P1D, owner: a, description: d}| | true",
            "owner+freshness+desc | {name: age, entity: account, type: long, unit: days, range: {min: 0, max: 100}, sentinels: [0], freshness: PT6H, owner: b, description: e}| | false",
            "removed              | {name: other, entity: account, type: bool, nullable: true, freshness: P1D}| | true",
    })
    void shouldClassifyChangesBetweenVersions(String title, String changedAge, String added, boolean breaking) {
        FeatureSet v1 = set(1, BASE);
        FeatureSet v2 = added == null ? set(2, changedAge) : set(2, changedAge, added);
        List<CompatibilityChecker.Change> changes = CompatibilityChecker.compare(v1, v2);
        assertEquals(breaking, CompatibilityChecker.breaking(changes), changes.toString());
    }

    @Test
    void shouldListEveryBreakingAspectOfAChangedFeature() {
        List<CompatibilityChecker.Change> changes = CompatibilityChecker.compare(set(1, BASE),
                set(2, "{name: age, entity: account, type: double, unit: years, range: {min: 0, max: 100}, sentinels: [0], freshness: P1D, owner: a, description: d}"));
        assertEquals(List.of("BREAKING age: type LONG -> DOUBLE", "BREAKING age: unit days -> years", "BREAKING age: sentinels [0] -> [0.0]"),
                changes.stream().map(Object::toString).toList());
    }

    @Test
    void shouldExitNonZeroOnABreakingChangeBetweenFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("s-v1.yaml"), "feature_set: s\nversion: 1\nfeatures:\n  - " + BASE + "\n");
        Files.writeString(dir.resolve("s-v2.yaml"), "feature_set: s\nversion: 2\nfeatures:\n  - " + BASE
                + "\n  - {name: extra, entity: account, type: bool, nullable: true, freshness: P1D}\n");
        assertEquals(FeaturesCheck.OK, run(dir.toString()));

        Files.writeString(dir.resolve("s-v3.yaml"), "feature_set: s\nversion: 3\nfeatures:\n  - "
                + BASE.replace("max: 100", "max: 120") + "\n  - {name: extra, entity: account, type: bool, nullable: true, freshness: P1D}\n");
        assertEquals(FeaturesCheck.BREAKING, run(dir.toString()));
    }

    @Test
    void shouldExitNonZeroWhenAPublishedVersionChangesAgainstTheBase(@TempDir Path dir) throws Exception {
        Path base = Files.createDirectory(dir.resolve("base"));
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Files.writeString(base.resolve("s-v1.yaml"), "feature_set: s\nversion: 1\nfeatures:\n  - " + BASE + "\n");
        Files.writeString(tree.resolve("s-v1.yaml"), "feature_set: s\nversion: 1\nfeatures:\n  - " + BASE.replace("long", "double") + "\n");
        assertEquals(FeaturesCheck.BREAKING, run("--base", base.toString(), tree.toString()));
        Files.writeString(tree.resolve("s-v1.yaml"), "feature_set: s\nversion: 1\nfeatures:\n  - " + BASE.replace("description: d", "description: better") + "\n");
        assertEquals(FeaturesCheck.OK, run("--base", base.toString(), tree.toString()));
    }

    @Test
    void shouldExitTwoOnAnInvalidFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "feature_set: s\nversion: one\n");
        assertEquals(FeaturesCheck.INVALID, run(dir.toString()));
    }

    @Test
    void shouldPassOnThePublishedContracts() {
        assertEquals(FeaturesCheck.OK, run("../contracts/features"));
    }

    private static int run(String... args) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(sink, true, StandardCharsets.UTF_8);
        return FeaturesCheck.run(args, ps, ps);
    }
}
