package io.vigil.simulator;

import java.io.PrintStream;
import java.nio.file.Path;

import io.vigil.simulator.run.Summary;

/** Lets tests print a run's summary exactly as the command does. */
public final class SimulateCommandAccess {

    private SimulateCommandAccess() {
    }

    public static void print(Summary s, Path truthFile, PrintStream out) {
        SimulateCommand.print(s, truthFile, out);
    }
}
