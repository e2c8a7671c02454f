package io.vigil.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil simulate} without a token a run needs: refused with one line and exit 2 before anything is sent. Every
 * endpoint the run would use (scoring's gRPC and REST, feature-service, Kafka) is a listening socket that only counts
 * connections, so "nothing was sent" is checked on the wire, not inferred.
 */
class SimulateCommandTokensTest {

    private static final String OPERATOR = "eyJ.operator-token-value.sig";
    private static final String PRODUCER = "eyJ.producer-token-value.sig";

    @TempDir
    Path dir;

    private final List<ServerSocket> endpoints = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void listen() throws Exception {
        for (int i = 0; i < 4; i++) {
            endpoints.add(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        }
    }

    @AfterEach
    void close() throws Exception {
        for (ServerSocket s : endpoints) {
            s.close();
        }
    }

    @Test
    void shouldRefuseARunWithoutAProducerTokenBeforeAnyScoreCall() throws Exception {
        int exit = run(Map.of("VIGIL_OPERATOR_TOKEN", OPERATOR), "--scenario", "baseline");

        assertEquals(2, exit);
        assertEquals(List.of("simulate: no producer token: feature seeding (POST /features/batch on feature-service) "
                + "needs a token with role producer; set VIGIL_PRODUCER_TOKEN (./bin/vigil token --role producer "
                + "--sub checkout-simulator); nothing was sent"), errLines());
        assertNothingSent();
    }

    @Test
    void shouldRefuseAChallengerScenarioWithoutAnOperatorToken() throws Exception {
        Path scenario = dir.resolve("challenger.yaml");
        Files.writeString(scenario, """
                name: challenger-only
                changes:
                  - at: 0
                    note: nothing happens first
                    traffic_multiplier: 1.0
                  - at: 1h
                    challenger: {model: c1, share: 0.1}
                """);

        int exit = run(Map.of("VIGIL_PRODUCER_TOKEN", PRODUCER), "--scenario", scenario.toString());

        assertEquals(2, exit);
        assertEquals(List.of("simulate: no operator token: scenario challenger-only sets a challenger (line 6) on "
                + "scoring-service's /models, which needs a token with role operator; set VIGIL_OPERATOR_TOKEN "
                + "(./bin/vigil token --role operator --sub checkout-simulator); nothing was sent"), errLines());
        assertNothingSent();
    }

    @Test
    void shouldTakeTheTokenFromTheOptionWhenTheEnvironmentHasNone() throws Exception {
        // The option satisfies the check: the run goes on to the refusal that comes after it (a non-positive rate),
        // which proves the token check passed without any endpoint being needed.
        int exit = run(Map.of(), "--scenario", "baseline", "--producer-token", PRODUCER, "--rate", "0");

        assertEquals(2, exit);
        assertEquals(List.of("simulate: --rate and --speed must be positive"), errLines());
        assertFalse(out.toString(StandardCharsets.UTF_8).contains(PRODUCER), "the token is never printed");
        assertNothingSent();
    }

    private int run(Map<String, String> env, String... scenarioArgs) {
        List<String> args = new ArrayList<>(List.of(scenarioArgs));
        args.addAll(List.of("--scenarios-dir", "scenarios", "--duration", "10m", "--progress", "none",
                "--truth", dir.resolve("truth.jsonl").toString(),
                "--scoring", "127.0.0.1:" + endpoints.get(0).getLocalPort(),
                "--scoring-http", "http://127.0.0.1:" + endpoints.get(1).getLocalPort(),
                "--features", "http://127.0.0.1:" + endpoints.get(2).getLocalPort(),
                "--kafka", "127.0.0.1:" + endpoints.get(3).getLocalPort()));
        SimulateCommand command = new SimulateCommand(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return SimulateCommand.commandLine(command).execute(args.toArray(String[]::new));
    }

    private List<String> errLines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private void assertNothingSent() throws Exception {
        for (ServerSocket s : endpoints) {
            s.setSoTimeout(200);
            Socket accepted = null;
            try {
                accepted = s.accept();
            } catch (SocketTimeoutException none) {
                // nobody connected: what this test wants
            }
            assertNull(accepted, "a connection to port " + s.getLocalPort());
        }
        assertFalse(Files.exists(dir.resolve("truth.jsonl")), "no truth file was started");
        String all = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertFalse(all.contains(OPERATOR) || all.contains(PRODUCER), "a token was printed");
        assertTrue(out.toString(StandardCharsets.UTF_8).isEmpty(), out.toString(StandardCharsets.UTF_8));
    }
}
