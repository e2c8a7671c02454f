package io.vigil.cli.token;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vigil token --role operator --sub alice [--ttl 8h]}: prints a bearer token signed with the local key. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Print a bearer token for the local stack, e.g. curl -H \"Authorization: Bearer $(./bin/vigil "
                + "token --role operator --sub you)\" ...")
public final class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--role", required = true, description = "viewer, operator, admin, producer or commander")
    String role;

    @Option(names = "--sub", required = true, description = "who the token is for; audits name it")
    String subject;

    @Option(names = "--ttl", defaultValue = "8h", description = "lifetime: 45s, 30m, 8h, 7d (at most 30d); default ${DEFAULT-VALUE}")
    String ttl;

    @Option(names = "--keys", defaultValue = "${env:VIGIL_KEYS_DIR:-.vigil/keys}",
            description = "directory of the signing key pair (./bin/vigil up creates it); default ${DEFAULT-VALUE}")
    Path keys;

    @Option(names = "--issuer", defaultValue = "${env:VIGIL_JWT_ISSUER:-vigil-local}",
            description = "the issuer the services are configured with; default ${DEFAULT-VALUE}")
    String issuer;

    @Override
    public Integer call() throws Exception {
        Path key = keys.resolve(SigningKeys.PRIVATE_KEY);
        if (!Files.isRegularFile(key)) {
            spec.commandLine().getErr().println("vigil token: no signing key at " + key
                    + " (./bin/vigil up creates it, or: ./bin/vigil keys init)");
            return 1;
        }
        try {
            String token = Tokens.sign(SigningKeys.readPrivateKey(key), issuer, role, subject, Tokens.parseTtl(ttl),
                    Instant.now());
            spec.commandLine().getOut().println(token);
            return 0;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("vigil token: " + e.getMessage());
            return 2;
        }
    }
}
