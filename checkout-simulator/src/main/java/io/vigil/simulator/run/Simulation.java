package io.vigil.simulator.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.vigil.contracts.events.v1.OutcomeRecorded;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.contracts.scoring.v1.RiskScoringServiceGrpc;
import io.vigil.contracts.scoring.v1.ScoreResponse;
import io.vigil.eventing.ProtoTime;
import io.vigil.simulator.auth.ServiceRefusedException;
import io.vigil.simulator.clock.SimulatedClock;
import io.vigil.simulator.faults.FeaturePauser;
import io.vigil.simulator.features.FeatureSeeder;
import io.vigil.simulator.outcome.OutcomeModel;
import io.vigil.simulator.outcome.OutcomeSchedule;
import io.vigil.simulator.outcome.PlannedOutcome;
import io.vigil.simulator.population.PaymentFactory;
import io.vigil.simulator.population.SimulatedPayment;
import io.vigil.simulator.publish.KafkaOutcomeSender;
import io.vigil.simulator.publish.OutcomeBuffer;
import io.vigil.simulator.scenario.ScenarioChange;
import io.vigil.simulator.scenario.World;
import io.vigil.simulator.traffic.ArrivalProfile;
import io.vigil.simulator.truth.CohortWindows;
import io.vigil.simulator.truth.TruthFile;

/**
 * One run: arrivals in simulated time, each payment's stored features seeded a moment before it is due, Score called
 * over gRPC with the checkout's deadline when the simulated clock reaches the payment, the outcomes that follow
 * released to Kafka when the simulated clock reaches their event time. The loop owns all state; gRPC callbacks only
 * hand their answers over through a queue.
 *
 * <p>The REST calls carry the config's bearer tokens. A run missing a token it needs is refused before anything is
 * sent; a 401/403 from a service stops the run ({@link ServiceRefusedException}): a refused feature block's payments
 * are never scored.
 */
public final class Simulation {

    /** Payments are generated and their features seeded this far ahead of their wall-clock due time. */
    private static final long LOOKAHEAD_NANOS = 1_000_000_000L;
    /** Score calls in flight at most; beyond it the simulator falls behind its schedule and says so (lag). */
    private static final int MAX_IN_FLIGHT = 256;
    /** The checkout's own answer when Score fails or misses the deadline: challenge the customer. */
    static final Decision CHECKOUT_FALLBACK = Decision.DECISION_STEP_UP;

    private record Answer(SimulatedPayment payment, ScoreResponse response, Status error, long nanos) {
    }

    private final SimulationConfig config;
    private final PaymentFactory factory;
    private final OutcomeModel outcomes;
    private final ArrivalProfile profile = new ArrivalProfile();

    public Simulation(SimulationConfig config) {
        this.config = config;
        this.factory = new PaymentFactory(config.seed(), config.runId());
        this.outcomes = new OutcomeModel(config.scenario().rates());
    }

    /**
     * @throws IllegalArgumentException when a token the run needs is missing (nothing was sent)
     * @throws ServiceRefusedException  when a service refused a token (the run stopped; Kafka and files closed)
     */
    public Summary run() throws InterruptedException {
        config.tokens().missingFor(config.scenario()).ifPresent(refusal -> {
            throw new IllegalArgumentException(refusal);
        });
        ManagedChannel channel = ManagedChannelBuilder.forTarget(config.scoringTarget()).usePlaintext().build();
        KafkaOutcomeSender kafka = new KafkaOutcomeSender(config.kafkaBootstrap());
        OutcomeBuffer buffer = new OutcomeBuffer(kafka, config.bufferCapacity(), 500, Duration.ofSeconds(5));
        FeaturePauser pauser = config.featureServicePid() == null ? null : new FeaturePauser(config.featureServicePid());
        try (TruthFile truth = new TruthFile(config.truthFile())) {
            return loop(RiskScoringServiceGrpc.newFutureStub(channel), buffer, pauser, truth);
        } finally {
            if (pauser != null) {
                pauser.close();
            }
            buffer.close(Duration.ofSeconds(30));
            kafka.close();
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private Summary loop(RiskScoringServiceGrpc.RiskScoringServiceFutureStub stub, OutcomeBuffer buffer,
            FeaturePauser pauser, TruthFile truth) {
        Instant start = config.start();
        Instant end = start.plus(config.duration());
        double meanPerSimSecond = config.rate() / config.speed();
        SplittableRandom arrivals = new SplittableRandom(config.seed() * 31 + 7);
        FeatureSeeder seeder = new FeatureSeeder(config.featureServiceUrl(), config.runId(),
                config.tokens().producerAuthorization());
        // Without a challenger in the scenario there is no operator action, and the operator token may be absent.
        ScoringAdmin admin = new ScoringAdmin(config.scoringHttpUrl(),
                config.tokens().operator() == null ? null : config.tokens().operatorAuthorization());
        OutcomeSchedule schedule = new OutcomeSchedule();
        CohortWindows windows = new CohortWindows(start, config.window());
        Progress progress = new Progress(config.progress(), config.tty());
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicInteger inFlight = new AtomicInteger();
        ArrayDeque<SimulatedPayment> due = new ArrayDeque<>();
        ConcurrentLinkedQueue<List<SimulatedPayment>> seeded = new ConcurrentLinkedQueue<>();
        AtomicInteger seeding = new AtomicInteger();
        ExecutorService seederThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "feature-seeder");
            t.setDaemon(true);
            return t;
        });
        Histogram latency = new Histogram(60_000_000_000L, 3);
        Map<String, Long> decisions = new TreeMap<>();
        Map<String, Long> fallbacks = new TreeMap<>();
        Map<String, Long> errors = new TreeMap<>();
        List<ScenarioChange> changes = config.scenario().changes();
        int nextChange = 0;
        long row = 0;
        long planned = 0;
        long maxLagNanos = 0;

        truth.write("run", start, Map.of("run_id", config.runId(), "scenario", config.scenario().name(), "seed",
                config.seed(), "rate_per_wall_second", config.rate(), "speed", config.speed(), "duration",
                config.duration().toString(), "end", end.toString(), "deadline_ms", config.deadline().toMillis(),
                "seed_reference", config.scenario().seed()));
        long wallStart = System.nanoTime();
        SimulatedClock clock = new SimulatedClock(start, config.speed(), wallStart);
        Instant nextArrival = profile.next(start, meanPerSimSecond, config.scenario().worldAt(Duration.ZERO)
                .trafficMultiplier(), arrivals);

        while (true) {
            long wall = System.nanoTime();
            Instant now = clock.at(wall);
            // Scenario changes take effect when the simulated clock reaches them.
            while (nextChange < changes.size() && !start.plus(changes.get(nextChange).at()).isAfter(now)) {
                ScenarioChange c = changes.get(nextChange++);
                World w = config.scenario().worldAt(c.at());
                String result = "ok";
                if (c.challenger() != null) {
                    try {
                        result = admin.challenger(c.challenger());
                    } catch (ServiceRefusedException e) {
                        seederThread.shutdownNow();
                        throw e;
                    }
                }
                if (c.featureLatency() != null && pauser != null) {
                    pauser.set(w.featureLatency());
                }
                truth.write(changeRecord(truth, start.plus(c.at()), c, result));
                progress.note("scenario change at +" + c.at() + (c.note().isEmpty() ? "" : ": " + c.note())
                        + (result.equals("ok") ? "" : " (" + result + ")"));
            }
            // Generate the payments of the next look-ahead in one block once half of it is used up, and seed their
            // features on the seeding thread; a block becomes due only once its features are in.
            if (nextArrival.isBefore(end) && clock.wallNanosAt(nextArrival) <= wall + LOOKAHEAD_NANOS / 2) {
                List<SimulatedPayment> block = new ArrayList<>();
                while (nextArrival.isBefore(end) && clock.wallNanosAt(nextArrival) <= wall + LOOKAHEAD_NANOS
                        && block.size() < 4000) {
                    World w = config.scenario().worldAt(Duration.between(start, nextArrival));
                    SimulatedPayment p = factory.create(row++, nextArrival, w);
                    windows.expect(p);
                    block.add(p);
                    nextArrival = profile.next(nextArrival, meanPerSimSecond, w.trafficMultiplier(), arrivals);
                }
                seeding.incrementAndGet();
                seederThread.execute(() -> {
                    seeder.seed(block, Instant.now());
                    seeded.add(block);
                    seeding.decrementAndGet();
                });
            }
            List<SimulatedPayment> ready;
            while ((ready = seeded.poll()) != null) {
                // Checked after taking the block: the seeder records a refusal before it hands the block over.
                if (seeder.refusal() != null) {
                    seederThread.shutdownNow();
                    throw seeder.refusal();
                }
                due.addAll(ready);
            }
            // Call Score for every payment whose time has come.
            while (!due.isEmpty() && clock.wallNanosAt(due.peekFirst().createdAt()) <= System.nanoTime()
                    && inFlight.get() < MAX_IN_FLIGHT) {
                SimulatedPayment p = due.pollFirst();
                long sent = System.nanoTime();
                maxLagNanos = Math.max(maxLagNanos, sent - clock.wallNanosAt(p.createdAt()));
                inFlight.incrementAndGet();
                Futures.addCallback(stub.withDeadlineAfter(config.deadline().toMillis(), TimeUnit.MILLISECONDS)
                        .score(p.request()), new FutureCallback<>() {
                            @Override
                            public void onSuccess(ScoreResponse r) {
                                answers.add(new Answer(p, r, null, System.nanoTime() - sent));
                                inFlight.decrementAndGet();
                            }

                            @Override
                            public void onFailure(Throwable t) {
                                answers.add(new Answer(p, null, Status.fromThrowable(t), System.nanoTime() - sent));
                                inFlight.decrementAndGet();
                            }
                        }, MoreExecutors.directExecutor());
            }
            // What the checkout does with each answer, and what will follow.
            Answer a;
            while ((a = answers.poll()) != null) {
                SimulatedPayment p = a.payment();
                Decision decision;
                if (a.response() != null) {
                    decision = a.response().getDecision();
                    latency.recordValue(Math.min(a.nanos(), latency.getHighestTrackableValue()));
                    if (a.response().getFallback()) {
                        count(fallbacks, a.response().getFallbackCause().name().replace("FALLBACK_CAUSE_", ""));
                    }
                } else {
                    decision = CHECKOUT_FALLBACK;
                    count(errors, a.error().getCode().name());
                }
                count(decisions, decision.name().replace("DECISION_", ""));
                windows.add(p, decision);
                World w = config.scenario().worldAt(Duration.between(start, p.createdAt()));
                List<PlannedOutcome> plan = outcomes.plan(p.createdAt(), decision, p.fraud(), p.channel(),
                        w.breakage(p.channel()), factory.outcomeRandom(p.row()));
                for (PlannedOutcome o : plan) {
                    schedule.add(o.at(), outcome(p, o));
                }
                planned += plan.size();
                var record = truth.record("payment", p.createdAt());
                record.put("transaction_id", p.transactionId()).put("country", p.country())
                        .put("customer_age_band", p.ageBand()).put("channel", p.channel())
                        .put("login_method", p.loginMethod()).put("fraud", p.fraud())
                        .put("fraud_probability", p.fraudProbability()).put("decision", decision.name())
                        .put("score_error", a.error() == null ? null : a.error().getCode().name())
                        .put("outcomes", plan.size());
                truth.write(record);
            }
            Instant simNow = clock.at(System.nanoTime());
            for (OutcomeRecorded o : schedule.due(simNow.isAfter(end) ? end : simNow)) {
                buffer.offer(o);
            }
            windows.flush(nextArrival, truth);
            progress.update(simNow, decisions, fallbacks, errors, buffer.counts(), maxLagNanos);
            if (!nextArrival.isBefore(end) && seeding.get() == 0 && seeded.isEmpty() && due.isEmpty()
                    && inFlight.get() == 0 && answers.isEmpty()) {
                break;
            }
            long nextDue = due.isEmpty() ? System.nanoTime() + 2_000_000L : clock.wallNanosAt(due.peekFirst().createdAt());
            // At most 2 ms; at least 0.1 ms, so a loop held back by the in-flight limit does not spin.
            LockSupport.parkNanos(Math.max(100_000L, Math.min(2_000_000L, nextDue - System.nanoTime())));
        }
        seederThread.shutdown();
        // The run is over in simulated time: what is due by its end leaves now; later outcomes only with --labels-now.
        for (OutcomeRecorded o : schedule.due(end)) {
            buffer.offer(o);
        }
        long beyond = 0;
        if (config.labelsNow()) {
            for (OutcomeRecorded o : schedule.all()) {
                buffer.offer(o);
            }
        } else {
            beyond = schedule.size();
        }
        windows.flush(null, truth);
        long wallNanos = System.nanoTime() - wallStart;
        buffer.close(Duration.ofSeconds(30));
        progress.finish();
        double wallSeconds = wallNanos / 1e9;
        Summary s = new Summary(row, decisions, fallbacks, errors, planned, beyond, buffer.counts(), seeder.applied(),
                seeder.flagged(), seeder.rejected(), seeder.failedCalls(), wallSeconds, row / wallSeconds,
                config.duration().toNanos() / (double) wallNanos, maxLagNanos / 1_000_000,
                latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                pauser == null ? 0 : pauser.pauses());
        var record = truth.record("summary", end);
        record.set("summary", new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(s));
        truth.write(record);
        return s;
    }

    private com.fasterxml.jackson.databind.node.ObjectNode changeRecord(TruthFile truth, Instant at, ScenarioChange c,
            String result) {
        var r = truth.record("change", at);
        r.put("line", c.line()).put("note", c.note()).put("result", result);
        if (c.cohortRisk() != null) {
            var list = r.putArray("cohort_risk");
            c.cohortRisk().forEach(s -> list.addObject().put("cohort", s.cohort().toString())
                    .put("multiplier", s.riskMultiplier()));
        }
        if (c.featureDefaults() != null) {
            var list = r.putArray("feature_defaults");
            c.featureDefaults().forEach(d -> list.addObject().put("feature", d.feature().featureName())
                    .put("value", d.value()).put("segment", d.segment().toString()));
        }
        if (c.featureLatency() != null) {
            r.putObject("feature_latency").put("pause_ms", c.featureLatency().pauseMillis())
                    .put("every_ms", c.featureLatency().everyMillis()).put("driven", config.featureServicePid() != null);
        }
        if (c.stepUpBreakage() != null) {
            var m = r.putObject("step_up_breakage");
            c.stepUpBreakage().forEach(m::put);
        }
        if (c.trafficMultiplier() != null) {
            r.put("traffic_multiplier", c.trafficMultiplier());
        }
        if (c.challenger() != null) {
            r.putObject("challenger").put("model", c.challenger().model()).put("share", c.challenger().share());
        }
        return r;
    }

    static OutcomeRecorded outcome(SimulatedPayment p, PlannedOutcome o) {
        OutcomeRecorded.Builder b = OutcomeRecorded.newBuilder()
                .setOutcomeId(p.transactionId() + ":" + o.kind().name().replace("OUTCOME_KIND_", "").toLowerCase())
                .setTransactionId(p.transactionId())
                .setAccountId(p.accountId())
                .setOccurredAt(ProtoTime.of(o.at()))
                .setKind(o.kind())
                .setProducer(o.producer());
        if (o.withAmount()) {
            b.setAmount(p.request().getAmount());
        }
        return b.build();
    }

    private static void count(Map<String, Long> map, String key) {
        map.merge(key, 1L, Long::sum);
    }
}
