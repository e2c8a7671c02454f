package io.vigil.riskmodel.bench;

import io.vigil.riskmodel.explain.TreeShap;
import io.vigil.riskmodel.model.TreeEnsemble;
import io.vigil.riskmodel.model.XGBoostJsonLoader;
import io.vigil.riskmodel.population.PaymentBatch;
import io.vigil.riskmodel.population.PopulationConfig;
import io.vigil.riskmodel.population.PopulationGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-row score, batch score and TreeSHAP of the committed default model (150 trees, depth 5, 30 features) on rows
 * of the synthetic population, cycling through 4,096 distinct rows so branch predictors cannot learn one path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RiskModelBenchmark {

    private static final int ROWS = 4_096;

    /** Model file; empty = models/default/model.json found from the working directory upwards. */
    @Param("")
    public String model;

    private TreeEnsemble ensemble;
    private TreeShap shap;
    private TreeShap.Workspace workspace;
    private float[][] rows;
    private float[] rowMajor;
    private double[] batchOut;
    private double[] phi;
    private int next;

    @Setup(Level.Trial)
    public void load() {
        Path file = model.isEmpty() ? defaultModel() : Path.of(model);
        ensemble = new XGBoostJsonLoader().load(file);
        shap = new TreeShap(ensemble);
        workspace = shap.newWorkspace();
        phi = new double[ensemble.featureCount() + 1];
        PaymentBatch batch = new PopulationGenerator(PopulationConfig.baseline(2024)).generate(0, ROWS);
        int[] columns = ensemble.columnsFor(io.vigil.riskmodel.catalog.PaymentFeature.names());
        rows = new float[ROWS][ensemble.featureCount()];
        rowMajor = new float[ROWS * ensemble.featureCount()];
        float[] raw = new float[PaymentBatch.WIDTH];
        for (int r = 0; r < ROWS; r++) {
            batch.copyFeatures(r, raw);
            for (int f = 0; f < columns.length; f++) {
                rows[r][f] = raw[columns[f]];
                rowMajor[r * columns.length + f] = raw[columns[f]];
            }
        }
        batchOut = new double[ROWS];
        System.out.println("\nmodel " + file + ": " + ensemble);
    }

    private static Path defaultModel() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("models/default/model.json");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("models/default/model.json not found above " + Path.of("").toAbsolutePath()
                + "; pass -p model=FILE");
    }

    @Benchmark
    public double scoreSingleRow() {
        float[] x = rows[next];
        next = (next + 1) & (ROWS - 1);
        return ensemble.score(x);
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public double[] scoreBatch() {
        ensemble.scoreBatch(rowMajor, ROWS, batchOut);
        return batchOut;
    }

    @Benchmark
    public double[] treeShap() {
        float[] x = rows[next];
        next = (next + 1) & (ROWS - 1);
        shap.contributions(x, phi, workspace);
        return phi;
    }
}
