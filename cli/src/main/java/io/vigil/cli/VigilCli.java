package io.vigil.cli;

import io.vigil.cli.analyze.AnalyzeCommand;
import io.vigil.cli.monitor.MonitorsCommand;
import io.vigil.cli.rollout.RolloutCommand;
import io.vigil.cli.incident.IncidentCommand;
import io.vigil.cli.token.KeysCommand;
import io.vigil.cli.token.TokenCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil <command>}: the operator commands bin/vigil hands to Java. Exit 0 ok, 1 failed, 2 wrong usage. */
@Command(name = "vigil", mixinStandardHelpOptions = true, subcommands = { TokenCommand.class, KeysCommand.class, RolloutCommand.class, IncidentCommand.class, AnalyzeCommand.class, MonitorsCommand.class },
        description = "Vigil operator commands.")
public final class VigilCli implements Runnable {

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required: token, keys, rollout, incident, analyze or monitors");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new VigilCli()).execute(args));
    }
}
