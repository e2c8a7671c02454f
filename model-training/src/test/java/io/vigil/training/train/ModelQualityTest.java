package io.vigil.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.training.card.ModelCard;
import io.vigil.training.card.ModelCardWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training pipeline end to end: a model judged on a fresh seed against the data's Bayes-optimal AUC. */
class ModelQualityTest {

    @TempDir
    Path dir;

    @Test
    void shouldTrainAModelCloseToBayesOptimalAndWriteItsCard() throws Exception {
        TrainingOptions options = new TrainingOptions(400_000, 77, dir, 150, 5, 0.1, 30, 0.2, 200_000, 2);
        ModelCard card = new Trainer(new PrintStream(new ByteArrayOutputStream())).train(options);
        ModelCard.Evaluation e = card.evaluation();
        assertTrue(e.bayesOptimalAuc() - e.auc() <= 0.02,
                "AUC " + e.auc() + " should be within 0.02 of Bayes-optimal " + e.bayesOptimalAuc());
        assertTrue(e.expectedCalibrationError() < 0.01, "ECE " + e.expectedCalibrationError());
        assertEquals(78, card.training().testSeed(), "evaluated on a fresh population");

        assertTrue(Files.size(dir.resolve("model.json")) > 0);
        ModelCard reread = new ModelCardWriter().read(dir.resolve("model-card.json"));
        assertEquals(card.evaluation(), reread.evaluation());
        assertEquals(30, reread.features().size());
        String md = Files.readString(dir.resolve("model-card.md"));
        assertTrue(md.contains("Bayes-optimal AUC of the data"));
        assertTrue(md.contains("### country=CA,customer_age_band=18-24"));
    }
}
