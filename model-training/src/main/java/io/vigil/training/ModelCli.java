package io.vigil.training;

import io.vigil.riskmodel.model.ModelLoadException;
import io.vigil.training.cli.UsageException;
import io.vigil.training.generate.GenerateCommand;
import io.vigil.training.predict.InputException;
import io.vigil.training.predict.PredictCommand;
import io.vigil.training.train.TrainCommand;
import java.io.IOException;
import java.io.PrintStream;

/**
 * {@code vigil model <train|predict|generate> ...}: exit 0 on success, 1 on bad data or models (one-line message), 2 on
 * a wrong command line.
 */
public final class ModelCli {

    private ModelCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
                usage(err);
                return args.length == 0 ? 2 : 0;
            }
            return switch (args[0]) {
                case "train" -> new TrainCommand().run(args, out, err);
                case "predict" -> new PredictCommand().run(args, err);
                case "generate" -> new GenerateCommand().run(args, err);
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            };
        } catch (UsageException e) {
            err.println("vigil model: " + e.getMessage());
            usage(err);
            return 2;
        } catch (InputException | ModelLoadException e) {
            err.println();
            err.println("vigil model: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println();
            err.println("vigil model: I/O error: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println();
            err.println("vigil model: " + e);
            return 1;
        }
    }

    private static void usage(PrintStream err) {
        err.println("usage: vigil model " + TrainCommand.USAGE);
        err.println("       vigil model " + PredictCommand.USAGE);
        err.println("       vigil model " + GenerateCommand.USAGE);
    }
}
