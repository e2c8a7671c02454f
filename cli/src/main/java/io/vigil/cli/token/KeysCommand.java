package io.vigil.cli.token;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vigil keys init}: creates the local token signing key pair once (bin/vigil up runs it). */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage the local token signing key pair.")
public final class KeysCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "init: create the pair unless it exists")
    String action;

    @Option(names = "--keys", defaultValue = "${env:VIGIL_KEYS_DIR:-.vigil/keys}",
            description = "directory of the key pair; default ${DEFAULT-VALUE}")
    Path keys;

    @Override
    public Integer call() throws Exception {
        if (!"init".equals(action)) {
            spec.commandLine().getErr().println("vigil keys: unknown action '" + action + "' (init)");
            return 2;
        }
        boolean created = SigningKeys.init(keys);
        spec.commandLine().getErr().println("vigil keys: " + (created ? "created" : "kept the existing") + " signing key pair in "
                + keys + " (" + SigningKeys.PRIVATE_KEY + " mode 600, " + SigningKeys.PUBLIC_KEY + ")");
        return 0;
    }
}
