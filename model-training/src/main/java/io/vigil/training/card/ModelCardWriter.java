package io.vigil.training.card;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.riskmodel.catalog.FeatureCatalog;
import io.vigil.riskmodel.quality.Calibration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Writes a {@link ModelCard} as model-card.json (for tools) and model-card.md (for people). */
public final class ModelCardWriter {

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void write(ModelCard card, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("model-card.json"), mapper.writeValueAsString(card) + "\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("model-card.md"), markdown(card), StandardCharsets.UTF_8);
    }

    public ModelCard read(Path json) throws IOException {
        return mapper.readValue(json.toFile(), ModelCard.class);
    }

    public String markdown(ModelCard card) {
        StringBuilder md = new StringBuilder();
        ModelCard.Evaluation e = card.evaluation();
        ModelCard.Training t = card.training();
        md.append("# Model card: ").append(card.model()).append("\n\n");
        md.append("Fraud probability of a card-not-present checkout (XGBoost binary:logistic, gbtree). ")
                .append("Created by ").append(card.createdBy()).append(".\n\n");
        md.append("## Data\n\n");
        md.append("- Synthetic payment population (`io.vigil.riskmodel.population`), data seed ").append(t.dataSeed())
                .append(": ").append(String.format(Locale.ROOT, "%,d", t.trainRows())).append(" training rows, ")
                .append(String.format(Locale.ROOT, "%,d", t.validationRows())).append(" validation rows (early stopping), ")
                .append("missingness `").append(t.missingness()).append("`.\n");
        md.append("- Evaluated on a fresh population, seed ").append(t.testSeed()).append(", ")
                .append(String.format(Locale.ROOT, "%,d", t.testRows())).append(" rows, realistic missingness, with the pure-Java evaluator.\n");
        md.append("- Feature contract `").append(card.featureContract()).append("`; ").append(card.features().size())
                .append(" features.\n");
        md.append("- Trees used: ").append(card.trees())
                .append(card.bestIteration() >= 0 ? " (early stopping, best iteration " + card.bestIteration() + ")" : "")
                .append(".\n\n");
        md.append("Parameters: ");
        boolean first = true;
        for (Map.Entry<String, Object> p : t.parameters().entrySet()) {
            md.append(first ? "" : ", ").append('`').append(p.getKey()).append('=').append(p.getValue()).append('`');
            first = false;
        }
        md.append("\n\n## Quality (test set)\n\n| metric | value |\n|---|---|\n");
        row(md, "AUC", e.auc());
        row(md, "Bayes-optimal AUC of the data (true probability, same labels)", e.bayesOptimalAuc());
        row(md, "Bayes-optimal AUC expected over label draws", e.expectedBayesOptimalAuc());
        row(md, "AUC gap to Bayes-optimal", e.bayesOptimalAuc() - e.auc());
        row(md, "PR-AUC (average precision)", e.prAuc());
        row(md, "log loss", e.logLoss());
        row(md, "expected calibration error (10 bins)", e.expectedCalibrationError());
        row(md, "fraud rate", e.fraudRate());
        row(md, "mean score", e.meanScore());
        md.append("\n## Calibration (reliability table)\n\n| score bin | rows | mean score | observed fraud rate |\n")
                .append("|---|---:|---:|---:|\n");
        for (Calibration.Bin b : card.reliability()) {
            md.append(String.format(Locale.ROOT, "| %.1f-%.1f | %,d | %s | %s |%n", b.lower(), b.upper(), b.rows(),
                    num(b.meanScore()), num(b.observedRate())));
        }
        md.append("\n## Decision thresholds\n\nStep up at or above the first threshold, decline at or above the second. ")
                .append("TPR: fraud stepped up or declined; FPR: genuine checkouts stepped up or declined.\n");
        for (ModelCard.CohortThresholds c : card.thresholds()) {
            md.append(String.format(Locale.ROOT, "%n### %s (%,d rows, fraud rate %s, AUC %s)%n%n", c.cohort(), c.rows(),
                    pct(c.fraudRate()), num(c.auc())));
            md.append("| step up at | decline at | TPR | FPR | step-up rate | decline rate |\n")
                    .append("|---:|---:|---:|---:|---:|---:|\n");
            for (ModelCard.PolicyOutcome p : c.policies()) {
                md.append(String.format(Locale.ROOT, "| %.2f | %.2f | %s | %s | %s | %s |%n", p.stepUpAt(), p.declineAt(),
                        pct(p.tpr()), pct(p.fpr()), pct(p.stepUpRate()), pct(p.declineRate())));
            }
        }
        md.append("\n## Features\n\n| # | feature | meaning |\n|---:|---|---|\n");
        FeatureCatalog catalog = FeatureCatalog.standard();
        for (int i = 0; i < card.features().size(); i++) {
            String f = card.features().get(i);
            md.append("| ").append(i).append(" | `").append(f).append("` | ")
                    .append(catalog.find(f).map(d -> d.description()).orElse("")).append(" |\n");
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String name, double v) {
        md.append("| ").append(name).append(" | ").append(num(v)).append(" |\n");
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
