package io.vigil.training.generate;

import io.vigil.riskmodel.population.CohortRiskShift;
import io.vigil.riskmodel.population.DefaultedField;
import io.vigil.riskmodel.population.Missingness;
import io.vigil.riskmodel.population.PaymentBatch;
import io.vigil.riskmodel.population.PopulationConfig;
import io.vigil.riskmodel.population.PopulationGenerator;
import io.vigil.training.cli.Args;
import io.vigil.training.cli.AtomicOutput;
import io.vigil.training.cli.Progress;
import io.vigil.training.cli.UsageException;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;

/**
 * {@code generate --rows N --seed S --out FILE[.gz] [--days D] [--cohort-risk COHORT:MULT]... [--default-field F=V@SEG]...}
 * Blocks are generated and formatted on every core and written in order, so the file is the same whatever the core count.
 */
public final class GenerateCommand {

    public static final String USAGE = "generate --rows N --seed S --out FILE[.csv|.csv.gz] [--days D] "
            + "[--cohort-risk country=CA,customer_age_band=18-24:1.55]... "
            + "[--default-field account_age_days=0@login_method=social]... "
            + "[--missingness realistic|none|FIRST_TIME,UNSEEN_ACCOUNTS,UNSEEN_DEVICES,UNSEEN_CARDS]";

    private static final int BLOCK = 16_384;

    public int run(String[] argv, PrintStream err) throws Exception {
        Args args = new Args(argv, 1, Set.of("rows", "seed", "out", "days", "cohort-risk", "default-field", "threads",
                "missingness"));
        long rows = args.longValue("rows", -1);
        if (rows <= 0) {
            throw new UsageException("--rows must be a positive number of rows");
        }
        long seed = args.longValue("seed", 1);
        Path out = Path.of(args.required("out"));
        PopulationConfig config = new PopulationConfig(seed, PopulationConfig.DEFAULT_START, args.intValue("days", 30),
                java.util.List.of(), java.util.List.of());
        try {
            config = config.withMissingness(Missingness.parse(args.text("missingness", "realistic")));
            for (String shift : args.all("cohort-risk")) {
                config = config.withRiskShift(CohortRiskShift.parse(shift));
            }
            for (String field : args.all("default-field")) {
                config = config.withDefaultedField(DefaultedField.parse(field));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        int threads = args.intValue("threads", Runtime.getRuntime().availableProcessors());
        write(new PopulationGenerator(config), rows, out, threads, err);
        return 0;
    }

    public static void write(PopulationGenerator generator, long rows, Path out, int threads, PrintStream err)
            throws Exception {
        Progress progress = new Progress(err, "generate", rows);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try (AtomicOutput target = new AtomicOutput(out)) {
            OutputStream raw = target.stream();
            OutputStream stream = out.toString().endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) {
                {
                    // Fastest level: the single writer thread would otherwise spend most of the run compressing.
                    def.setLevel(java.util.zip.Deflater.BEST_SPEED);
                }
            } : raw;
            Writer writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
            writer.write(PopulationCsv.header());
            writer.write('\n');
            ArrayDeque<Future<StringBuilder>> pending = new ArrayDeque<>();
            long next = 0;
            long written = 0;
            while (next < rows || !pending.isEmpty()) {
                while (next < rows && pending.size() < 2 * Math.max(1, threads)) {
                    long first = next;
                    int n = (int) Math.min(BLOCK, rows - next);
                    pending.add(pool.submit(() -> format(generator, first, n)));
                    next += n;
                }
                StringBuilder block = pending.poll().get();
                writer.append(block);
                written = Math.min(rows, written + BLOCK);
                progress.update(written);
            }
            writer.flush();
            if (stream instanceof GZIPOutputStream gz) {
                gz.finish();
            }
            target.commit();
        } finally {
            pool.shutdownNow();
        }
        progress.done(rows);
    }

    private static StringBuilder format(PopulationGenerator generator, long first, int n) {
        PaymentBatch batch = generator.generate(first, n);
        StringBuilder sb = new StringBuilder(n * 160);
        for (int i = 0; i < n; i++) {
            PopulationCsv.appendRow(batch, i, sb);
        }
        return sb;
    }
}
