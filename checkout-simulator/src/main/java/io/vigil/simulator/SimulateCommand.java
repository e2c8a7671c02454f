package io.vigil.simulator;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import io.vigil.simulator.auth.ServiceRefusedException;
import io.vigil.simulator.auth.ServiceTokens;
import io.vigil.simulator.run.Simulation;
import io.vigil.simulator.run.SimulationConfig;
import io.vigil.simulator.run.Summary;
import io.vigil.simulator.scenario.InvalidScenarioException;
import io.vigil.simulator.scenario.Scenario;
import io.vigil.simulator.scenario.ScenarioChange;
import io.vigil.simulator.scenario.ScenarioLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil simulate}: drive the running stack with a scenario in simulated time. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Plays the checkout and the payment systems against a running Vigil stack: synthetic payments "
                + "with known truth call Score over gRPC at simulated times, and the outcomes that follow go to "
                + "vigil.outcomes.v1 when the simulated clock reaches them.")
public final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--scenario", defaultValue = "baseline",
            description = "Scenario name (checkout-simulator/scenarios/<name>.yaml) or a YAML file. Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--scenarios-dir", defaultValue = "checkout-simulator/scenarios", description = "Where scenario names are looked up.")
    Path scenariosDir;

    @Option(names = "--rate", defaultValue = "100",
            description = "Mean payments per wall-clock second (weekly mean; the hourly profile swings it between about 0.1x and 1.6x). Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--speed", defaultValue = "120",
            description = "Simulated seconds per wall-clock second (120: one hour in 30 s). Default: ${DEFAULT-VALUE}.")
    double speed;

    @Option(names = "--duration", defaultValue = "1h", description = "Simulated time to run, e.g. 2h, 90m, 1d. Default: ${DEFAULT-VALUE}.")
    String duration;

    @Option(names = "--start", defaultValue = "2026-01-05T00:00:00Z", converter = StartConverter.class,
            description = "Simulated start (RFC 3339, or 'now' to run beside a rollout whose steps start in event time"
                    + " now; a Monday midnight by default): ${DEFAULT-VALUE}.")
    Instant start;

    /** RFC 3339, or {@code now} (to the second). */
    static final class StartConverter implements picocli.CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            return "now".equalsIgnoreCase(value.trim()) ? Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    : Instant.parse(value.trim());
        }
    }

    @Option(names = "--seed", defaultValue = "42", description = "Population and arrival seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--labels-now",
            description = "At the end, emit every outcome still ahead (chargebacks weeks out) at once, each with its own event time.")
    boolean labelsNow;

    @Option(names = "--truth", description = "Truth file (JSON Lines). Default: .vigil/simulations/<run id>.truth.jsonl")
    Path truth;

    @Option(names = "--deadline", defaultValue = "300ms", description = "The checkout's deadline on Score. Default: ${DEFAULT-VALUE}.")
    String deadline;

    @Option(names = "--scoring", defaultValue = "127.0.0.1:9081", description = "scoring-service gRPC host:port.")
    String scoring;

    @Option(names = "--scoring-http", defaultValue = "http://127.0.0.1:8081", description = "scoring-service REST.")
    String scoringHttp;

    @Option(names = "--features", defaultValue = "http://127.0.0.1:8082", description = "feature-service REST.")
    String features;

    @Option(names = "--kafka", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers.")
    String kafka;

    @Option(names = "--feature-service-pid",
            description = "feature-service's process id: the latency fault hook pauses it (SIGSTOP/SIGCONT). Needed by scenarios with feature_latency.")
    Long featureServicePid;

    @Option(names = "--buffer", defaultValue = "100000", description = "Outcome events that may wait for Kafka. Default: ${DEFAULT-VALUE}.")
    int buffer;

    @Option(names = "--window", defaultValue = "1h", description = "Truth-file window (simulated). Default: ${DEFAULT-VALUE}.")
    String window;

    @Option(names = "--run-id", description = "Prefix of every id this run creates. Default: random.")
    String runId;

    @Option(names = "--operator-token", paramLabel = "TOKEN",
            description = "Bearer token with role operator, for a scenario's challenger on scoring-service's /models. "
                    + "Default: $" + ServiceTokens.OPERATOR_ENV + " (prefer it: a command line is visible to every "
                    + "user of the machine).")
    String operatorToken;

    @Option(names = "--producer-token", paramLabel = "TOKEN",
            description = "Bearer token with role producer, for feature-service's POST /features/batch (every run). "
                    + "Default: $" + ServiceTokens.PRODUCER_ENV + " (prefer it).")
    String producerToken;

    @Option(names = "--progress", defaultValue = "auto",
            description = "tty (one rewritten line), plain (a line every 10 s), none, or auto (tty when there is a console).")
    String progress;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    public SimulateCommand() {
        this(System.getenv(), System.out, System.err);
    }

    /** @param env where the tokens come from when no option gives them */
    SimulateCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(commandLine(new SimulateCommand()).execute(args));
    }

    /** bin/vigil passes defaults first (--kafka, --progress); a user's own value later on the line wins. */
    static CommandLine commandLine(SimulateCommand command) {
        return new CommandLine(command).setOverwrittenOptionsAllowed(true);
    }

    @Override
    public Integer call() throws Exception {
        Scenario s;
        Duration runFor;
        Duration checkoutDeadline;
        Duration windowLength;
        try {
            s = ScenarioLoader.load(scenario, scenariosDir);
            runFor = duration("--duration", duration);
            checkoutDeadline = duration("--deadline", deadline);
            windowLength = duration("--window", window);
        } catch (InvalidScenarioException e) {
            err.println("simulate: scenario " + scenario + " refused, nothing was sent: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("simulate: " + e.getMessage());
            return 2;
        }
        if (!(rate > 0) || !(speed > 0)) {
            err.println("simulate: --rate and --speed must be positive");
            return 2;
        }
        for (ScenarioChange c : s.changes()) {
            if (c.featureLatency() != null && c.featureLatency().active() && featureServicePid == null) {
                err.println("simulate: scenario " + s.name() + " injects feature latency (line " + c.line()
                        + "), which needs --feature-service-pid (bin/vigil simulate passes the stack's); nothing was sent");
                return 2;
            }
        }
        ServiceTokens tokens = ServiceTokens.resolve(operatorToken, producerToken, env);
        var missing = tokens.missingFor(s);
        if (missing.isPresent()) {
            err.println("simulate: " + missing.get());
            return 2;
        }
        String id = runId != null ? runId : UUID.randomUUID().toString().substring(0, 8);
        Path truthFile = truth != null ? truth : Path.of(".vigil", "simulations", id + ".truth.jsonl");
        boolean tty = switch (progress) {
            case "tty" -> true;
            case "auto" -> System.console() != null;
            default -> false;
        };
        SimulationConfig config = new SimulationConfig(scoring, scoringHttp, features, kafka, s, rate, speed, runFor,
                start, seed, id, labelsNow, truthFile, checkoutDeadline, featureServicePid, buffer, windowLength,
                "none".equals(progress) ? null : err, tty, tokens);
        err.printf("simulate: scenario %s, %s of simulated time from %s at speed %.0f, ~%.0f payments/s, run %s%n",
                s.name(), runFor, start, speed, rate, id);
        Summary summary;
        try {
            summary = new Simulation(config).run();
        } catch (ServiceRefusedException e) {
            err.println("simulate: " + e.getMessage() + "; the run stopped (truth file " + truthFile + ")");
            return 3;
        }
        print(summary, truthFile, out);
        return summary.outcomes().dropped() + summary.outcomes().undelivered() > 0 ? 1 : 0;
    }

    static void print(Summary s, Path truthFile, PrintStream out) {
        out.println();
        row(out, "payments", s.payments() + String.format(" in %.1f s wall (%.1f/s, speed reached %.1f)",
                s.wallSeconds(), s.paymentsPerSecond(), s.simulatedSpeed()));
        row(out, "decisions", s.decisions().toString());
        row(out, "fallbacks (scoring)", s.fallbacks().isEmpty() ? "none" : s.fallbacks().toString());
        row(out, "errors (checkout fell back)", s.errors().isEmpty() ? "none" : s.errors().toString());
        row(out, "Score latency", String.format("p50 %.2f ms, p99 %.2f ms (client side)", s.latencyP50Millis(),
                s.latencyP99Millis()));
        row(out, "late sends", "max " + s.maxSendLagMillis() + " ms behind schedule");
        row(out, "features seeded", s.featureUpdatesApplied() + " updates applied; " + s.featureValuesFlagged()
                + " values flagged, " + s.featureValuesRejected() + " rejected; " + s.featureCallsFailed()
                + " failed calls");
        var o = s.outcomes();
        row(out, "outcome events", o.sent() + " sent of " + s.outcomesPlanned() + " planned; " + o.delayed()
                + " delayed (retried), " + o.dropped() + " dropped (buffer full), " + o.undelivered()
                + " undelivered at exit; " + s.outcomesBeyondEnd() + " lie beyond the end (use --labels-now)");
        if (s.featurePauses() > 0) {
            row(out, "feature-service pauses", Long.toString(s.featurePauses()));
        }
        row(out, "truth file", truthFile.toString());
    }

    private static void row(PrintStream out, String label, String value) {
        out.printf("%-28s %s%n", label, value);
    }

    private static Duration duration(String option, String text) {
        try {
            return ScenarioLoader.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

}
