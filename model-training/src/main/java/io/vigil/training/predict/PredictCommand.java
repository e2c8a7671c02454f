package io.vigil.training.predict;

import io.vigil.riskmodel.catalog.FeatureCatalog;
import io.vigil.riskmodel.explain.ReasonCodes;
import io.vigil.riskmodel.explain.TreeShap;
import io.vigil.riskmodel.model.TreeEnsemble;
import io.vigil.riskmodel.model.XGBoostJsonLoader;
import io.vigil.training.cli.Args;
import io.vigil.training.cli.AtomicOutput;
import io.vigil.training.cli.Progress;
import io.vigil.training.cli.UsageException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

/**
 * Offline scoring for backfills and rescoring, through the same evaluator and TreeSHAP as the scoring service.
 * Streams: blocks of lines are parsed and scored on every core and written back in input order, with a bounded number
 * of blocks in flight, so memory stays flat for any file size. Output goes to a temporary file renamed at the end.
 */
public final class PredictCommand {

    public static final String USAGE = "predict --model FILE --input CSV[.gz] --output CSV [--explain K] "
            + "[--id-column NAME] [--threads N]";

    private static final int BLOCK = 4_096;

    public int run(String[] argv, PrintStream err) throws Exception {
        Args args = new Args(argv, 1, Set.of("model", "input", "output", "explain", "id-column", "threads"));
        Path modelFile = Path.of(args.required("model"));
        Path input = Path.of(args.required("input"));
        Path output = Path.of(args.required("output"));
        int explain = args.intValue("explain", 0);
        if (explain < 0) {
            throw new UsageException("--explain must be zero or more");
        }
        int threads = args.intValue("threads", Runtime.getRuntime().availableProcessors());
        if (threads <= 0) {
            throw new UsageException("--threads must be positive");
        }
        TreeEnsemble model = new XGBoostJsonLoader().load(modelFile);
        long rows = predict(model, input, output, explain, args.text("id-column", null), threads, err);
        return rows >= 0 ? 0 : 1;
    }

    /** Scores every row of {@code input} into {@code output}; returns the number of rows. */
    public static long predict(TreeEnsemble model, Path input, Path output, int explain, String idColumnName,
            int threads, PrintStream err) throws IOException, InterruptedException {
        if (!Files.isRegularFile(input)) {
            throw new InputException("input file " + input + " does not exist");
        }
        Scorer scorer = null;
        Progress progress = new Progress(err, "predict", -1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long rows = 0;
        try (InputStream raw = Files.newInputStream(input);
                BufferedReader reader = new BufferedReader(new InputStreamReader(
                        input.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw,
                        StandardCharsets.UTF_8), 1 << 16);
                AtomicOutput target = new AtomicOutput(output)) {
            String headerLine = reader.readLine();
            if (headerLine == null) {
                throw new InputException("line 1: input has no header");
            }
            List<String> header = CsvRowReader.header(headerLine);
            int[] columnOfFeature;
            try {
                columnOfFeature = model.columnsFor(header);
            } catch (IllegalArgumentException e) {
                throw new InputException("input header: " + e.getMessage());
            }
            int idColumn = -1;
            if (idColumnName != null) {
                idColumn = header.indexOf(idColumnName);
                if (idColumn < 0) {
                    throw new InputException("input header: id column '" + idColumnName + "' is missing");
                }
            }
            scorer = new Scorer(model, new CsvRowReader(header, columnOfFeature, idColumn), idColumn >= 0, explain);
            Writer writer = new BufferedWriter(new OutputStreamWriter(target.stream(), StandardCharsets.UTF_8), 1 << 16);
            writer.write(outputHeader(idColumnName, explain));

            ArrayDeque<Future<StringBuilder>> pending = new ArrayDeque<>();
            long lineNumber = 1;
            boolean more = true;
            while (more || !pending.isEmpty()) {
                while (more && pending.size() < 2 * threads) {
                    List<String> lines = new ArrayList<>(BLOCK);
                    long firstLine = lineNumber + 1;
                    String line;
                    while (lines.size() < BLOCK && (line = reader.readLine()) != null) {
                        lines.add(line);
                    }
                    lineNumber += lines.size();
                    more = lines.size() == BLOCK;
                    if (!lines.isEmpty()) {
                        Scorer s = scorer;
                        pending.add(pool.submit(() -> s.score(lines, firstLine)));
                    }
                }
                if (pending.isEmpty()) {
                    break;
                }
                StringBuilder block;
                try {
                    block = pending.poll().get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IOException(e.getCause());
                }
                writer.append(block);
                rows += countRows(block);
                progress.update(rows);
            }
            writer.flush();
            target.commit();
        } finally {
            pool.shutdownNow();
        }
        progress.done(rows);
        return rows;
    }

    private static long countRows(StringBuilder block) {
        long n = 0;
        for (int i = 0; i < block.length(); i++) {
            if (block.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    static String outputHeader(String idColumn, int explain) {
        StringBuilder sb = new StringBuilder();
        if (idColumn != null) {
            sb.append(quote(idColumn)).append(',');
        }
        sb.append("score");
        for (int k = 1; k <= explain; k++) {
            sb.append(",reason_").append(k);
        }
        return sb.append('\n').toString();
    }

    static String quote(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }

    /** Shared by the worker threads; per-thread scratch space comes from thread locals owned by this run. */
    private static final class Scorer {
        private final TreeEnsemble model;
        private final CsvRowReader reader;
        private final boolean withId;
        private final int explain;
        private final TreeShap shap;
        private final ReasonCodes reasons;
        private final ThreadLocal<Scratch> scratch;

        Scorer(TreeEnsemble model, CsvRowReader reader, boolean withId, int explain) {
            this.model = model;
            this.reader = reader;
            this.withId = withId;
            this.explain = explain;
            this.shap = explain > 0 ? new TreeShap(model) : null;
            this.reasons = explain > 0 ? new ReasonCodes(model.featureNames(), FeatureCatalog.standard()) : null;
            this.scratch = ThreadLocal.withInitial(() -> new Scratch(model.featureCount(), explain, shap));
        }

        StringBuilder score(List<String> lines, long firstLine) {
            Scratch s = scratch.get();
            StringBuilder out = new StringBuilder(lines.size() * (24 + 32 * explain));
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                long lineNumber = firstLine + i;
                if (line.isEmpty()) {
                    throw new InputException("line " + lineNumber + ": empty line");
                }
                String id = reader.read(line, lineNumber, s.x, s.text);
                if (withId) {
                    out.append(quote(id)).append(',');
                }
                out.append(model.score(s.x));
                if (explain > 0) {
                    shap.contributions(s.x, s.phi, s.workspace);
                    int n = reasons.topIndices(s.phi, s.top);
                    for (int k = 0; k < explain; k++) {
                        out.append(',');
                        if (k < n) {
                            out.append(reasons.featureName(s.top[k])).append('=').append((float) s.phi[s.top[k]]);
                        }
                    }
                }
                out.append('\n');
            }
            return out;
        }
    }

    private static final class Scratch {
        final float[] x;
        final double[] phi;
        final int[] top;
        final TreeShap.Workspace workspace;
        final StringBuilder text = new StringBuilder();

        Scratch(int width, int explain, TreeShap shap) {
            x = new float[width];
            phi = new double[width + 1];
            top = new int[Math.max(explain, 1)];
            workspace = shap == null ? null : shap.newWorkspace();
        }
    }
}
