package io.vigil.training.train;

import io.vigil.training.card.ModelCard;
import io.vigil.training.cli.Args;
import io.vigil.training.cli.UsageException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

import io.vigil.riskmodel.population.Missingness;

/** {@code train --rows N --seed S --out DIR [--rounds R] [--max-depth D] [--eta E] [--early-stopping K] [--test-rows T] [--missingness M] [--closed-accounts F,G]}. */
public final class TrainCommand {

    public static final String USAGE = "train --rows N --seed S --out DIR [--rounds 150] [--max-depth 5] [--eta 0.05] "
            + "[--early-stopping 20] [--test-rows 200000] [--threads N] [--missingness realistic|none|F,A,D,C] "
            + "[--closed-accounts FRAUD,GENUINE]";

    public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args args = new Args(argv, 1, Set.of("rows", "seed", "out", "rounds", "max-depth", "eta", "early-stopping",
                "test-rows", "threads", "validation-share", "missingness",
                "closed-accounts"));
        TrainingOptions d = TrainingOptions.defaults(1_000, 1, Path.of("."));
        TrainingOptions options;
        try {
            options = new TrainingOptions(args.longValue("rows", 500_000), args.longValue("seed", 1),
                    Path.of(args.required("out")), args.intValue("rounds", d.rounds()),
                    args.intValue("max-depth", d.maxDepth()), args.doubleValue("eta", d.eta()),
                    args.intValue("early-stopping", d.earlyStopping()),
                    args.doubleValue("validation-share", d.validationShare()), args.intValue("test-rows", d.testRows()),
                    args.intValue("threads", d.threads()),
                    Missingness.parse(args.text("missingness", "realistic")),
                    TrainingOptions.ClosedAccounts.parse(args.text("closed-accounts", "0,0")));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        ModelCard card = new Trainer(err).train(options);
        ModelCard.Evaluation e = card.evaluation();
        out.printf("model: %s (%d trees)%nAUC %.4f (Bayes-optimal %.4f), PR-AUC %.4f, log loss %.5f, ECE %.5f%n",
                options.out().resolve("model.json"), card.trees(), e.auc(), e.bayesOptimalAuc(), e.prAuc(), e.logLoss(),
                e.expectedCalibrationError());
        return 0;
    }
}
