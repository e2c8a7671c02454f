package io.vigil.training.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.riskmodel.explain.TreeShap;
import io.vigil.riskmodel.model.TreeEnsemble;
import io.vigil.riskmodel.model.XGBoostJsonLoader;
import io.vigil.riskmodel.population.PopulationConfig;
import io.vigil.riskmodel.population.PopulationGenerator;
import io.vigil.training.ModelCli;
import io.vigil.training.generate.GenerateCommand;
import io.vigil.training.train.Trainer;
import io.vigil.training.train.TrainingOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictCommandTest {

    @TempDir
    static Path dir;

    private static Path model;
    private static Path population;

    @BeforeAll
    static void modelAndData() throws Exception {
        TrainingOptions options = new TrainingOptions(20_000, 5, dir.resolve("m"), 20, 4, 0.3, 0, 0.2, 5_000, 2);
        new Trainer(new PrintStream(new ByteArrayOutputStream())).train(options);
        model = dir.resolve("m/model.json");
        population = dir.resolve("population.csv.gz");
        GenerateCommand.write(new PopulationGenerator(PopulationConfig.baseline(6)), 5_000, population, 2,
                new PrintStream(new ByteArrayOutputStream()));
    }

    private record Run(int exit, String err) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ModelCli.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        return new Run(exit, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldScoreEveryRowInOrderWithTheEvaluatorAndReasons() throws Exception {
        Path out = dir.resolve("scores.csv");
        Run run = cli("predict", "--model", model.toString(), "--input", population.toString(), "--output",
                out.toString(), "--explain", "3", "--id-column", "transaction_id", "--threads", "2");
        assertEquals(0, run.exit(), run.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("transaction_id,score,reason_1,reason_2,reason_3", lines.get(0));
        assertEquals(5_001, lines.size());

        TreeEnsemble ensemble = new XGBoostJsonLoader().load(model);
        TreeShap shap = new TreeShap(ensemble);
        var batch = new PopulationGenerator(PopulationConfig.baseline(6)).generate(0, 5_000);
        float[] x = new float[ensemble.featureCount()];
        for (int i = 0; i < 5_000; i += 499) {
            batch.copyFeatures(i, x);
            String[] cells = lines.get(i + 1).split(",", -1);
            assertEquals("t" + i, cells[0]);
            assertEquals(ensemble.score(x), Double.parseDouble(cells[1]), 0.0, "score is printed exactly");
            double[] phi = shap.contributions(x);
            String[] reason = cells[2].split("=");
            int f = ensemble.indexOf(reason[0]);
            assertEquals((float) phi[f], Float.parseFloat(reason[1]), 0.0f);
            for (double c : java.util.Arrays.copyOf(phi, x.length)) {
                assertTrue(c <= phi[f], "reason_1 is the largest contribution");
            }
        }
    }

    @Test
    void shouldIgnoreExtraColumnsInAnyOrderAndTreatEmptyCellsAsMissing() throws Exception {
        TreeEnsemble ensemble = new XGBoostJsonLoader().load(model);
        List<String> names = new java.util.ArrayList<>(ensemble.featureNames());
        java.util.Collections.reverse(names);
        StringBuilder csv = new StringBuilder("note," + String.join(",", names) + "\n");
        csv.append("\"hello, world\"").append(",".repeat(names.size())).append('\n');
        Path in = dir.resolve("reversed.csv");
        Files.writeString(in, csv);
        Path out = dir.resolve("reversed-scores.csv");
        Run run = cli("predict", "--model", model.toString(), "--input", in.toString(), "--output", out.toString());
        assertEquals(0, run.exit(), run.err());
        float[] missing = new float[ensemble.featureCount()];
        java.util.Arrays.fill(missing, Float.NaN);
        assertEquals(List.of("score", Double.toString(ensemble.score(missing))), Files.readAllLines(out));
    }

    @Test
    void shouldStopOnAMalformedCellNamingLineAndColumnWithoutLeavingOutput() throws Exception {
        List<String> lines = new java.util.ArrayList<>();
        String header = "transaction_id," + String.join(",", new XGBoostJsonLoader().load(model).featureNames());
        lines.add(header);
        String good = "t0" + ",1".repeat(30);
        for (int i = 0; i < 9_000; i++) {
            lines.add(good);
        }
        lines.add("t9000,12.5,abc" + ",1".repeat(28));
        Path in = dir.resolve("bad.csv");
        Files.write(in, lines);
        Path out = dir.resolve("bad-scores.csv");
        Run run = cli("predict", "--model", model.toString(), "--input", in.toString(), "--output", out.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("line 9002, column 'currency': 'abc' is not a number"), run.err());
        assertFalse(Files.exists(out));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("bad-scores")), "no temp file left");
        }
    }

    @Test
    void shouldNameAMissingRequiredColumn() throws Exception {
        Path in = dir.resolve("short.csv");
        Files.writeString(in, "amount,currency\n1,2\n");
        Run run = cli("predict", "--model", model.toString(), "--input", in.toString(), "--output",
                dir.resolve("short-out.csv").toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("required feature column 'merchant_category' is missing"), run.err());
    }

    @Test
    void shouldNameAShortRow() throws Exception {
        String header = String.join(",", new XGBoostJsonLoader().load(model).featureNames());
        Path in = dir.resolve("ragged.csv");
        Files.writeString(in, header + "\n" + "1,".repeat(29) + "1\n1,2,3\n");
        Run run = cli("predict", "--model", model.toString(), "--input", in.toString(), "--output",
                dir.resolve("ragged-out.csv").toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("line 3: has 3 columns, column 'merchant_fraud_rate_90d' (column 4) is missing"), run.err());
    }

    @Test
    void shouldNameAMissingRequiredOption() {
        Run run = cli("predict", "--model", model.toString(), "--output", dir.resolve("unused.csv").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("vigil model: missing required option --input"), run.err());
    }

    @Test
    void shouldNameAnOptionWhoseValueIsNotANumber() {
        Run run = cli("predict", "--model", model.toString(), "--input", population.toString(), "--output",
                dir.resolve("unused.csv").toString(), "--explain", "x");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("vigil model: --explain must be an integer, got 'x'"), run.err());
    }

    @Test
    void shouldRefuseAnUnknownCommandWithUsage() {
        Run run = cli("frobnicate");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("vigil model: unknown command 'frobnicate'"), run.err());
    }
}
