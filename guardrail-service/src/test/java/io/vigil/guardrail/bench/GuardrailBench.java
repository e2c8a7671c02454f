package io.vigil.guardrail.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.Stores;

import io.vigil.contracts.events.v1.DecisionAttributes;
import io.vigil.contracts.events.v1.DecisionMade;
import io.vigil.contracts.events.v1.OutcomeKind;
import io.vigil.contracts.events.v1.OutcomeRecorded;
import io.vigil.contracts.scoring.v1.Arm;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.aggregation.GuardrailTopology;
import io.vigil.guardrail.aggregation.StreamCounters;
import io.vigil.guardrail.aggregation.state.RolloutWatch;
import io.vigil.guardrail.aggregation.state.ShareChange;
import io.vigil.guardrail.aggregation.state.WatchedGuardrail;
import io.vigil.guardrail.evaluation.GuardrailMetric;
import io.vigil.testing.kafka.KafkaBroker;

/**
 * Ingest benchmark of the guardrail topology (not a test: it prints figures). Writes N decisions and their outcomes
 * (CloudEvents headers, event time spread at a fixed rate per minute) to a real broker, then runs ONE instance of the
 * topology as the service runs it (RocksDB, exactly-once v2, 6 partitions) against one rollout watching 50 cohorts x 8
 * metrics = 400 guardrails, and reports: events/s sustained from the first record processed to the last, heap after
 * GC, state-store size on disk per million decisions, and the wall time to evaluate all guardrails of a rollout minute
 * (mean and max over every minute judged). The input is written before the instance starts, so producing does not
 * compete with processing for the two cores.
 *
 * <pre>./bin/vigil bench guardrail [--decisions 500000] [--per-minute 2000] [--threads 1] [--commit-ms 100]
 *     [--kafka host:port]</pre>
 */
public final class GuardrailBench {

    static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
    static final String[] COUNTRIES = {"US", "CA", "GB", "DE", "FR", "BR", "MX", "IN", "JP", "AU"};
    static final String[] AGES = {"18-24", "25-34", "35-44", "45-64", "65+"};
    static final GuardrailMetric[] METRICS = {GuardrailMetric.APPROVAL_RATE, GuardrailMetric.DECLINE_RATE,
        GuardrailMetric.STEP_UP_RATE, GuardrailMetric.REVIEW_RATE, GuardrailMetric.FALLBACK_RATE,
        GuardrailMetric.CONVERSION, GuardrailMetric.INCORRECT_APPROVAL_RATE, GuardrailMetric.CHARGEBACK_RATE};
    static final int PARTITIONS = 6;

    public static void main(String[] args) throws Exception {
        // Outside Quarkus nothing configures the JBoss log manager slf4j binds to here, and it left Kafka's TRACE on:
        // the stream thread spent about a tenth of its time formatting a trace line per record (JFR), which the
        // service (INFO) never does.
        org.jboss.logmanager.LogContext.getLogContext().getLogger("").setLevel(java.util.logging.Level.INFO);
        Map<String, String> a = options(args);
        int decisions = Integer.parseInt(a.getOrDefault("--decisions", "500000"));
        int perMinute = Integer.parseInt(a.getOrDefault("--per-minute", "2000"));
        int threads = Integer.parseInt(a.getOrDefault("--threads", "1"));
        // Kafka Streams' default under exactly-once is 100 ms; longer transactions amortise the commit.
        int commitMs = Integer.parseInt(a.getOrDefault("--commit-ms", "100"));
        KafkaBroker own = a.containsKey("--kafka") ? null : KafkaBroker.start();
        String bootstrap = own == null ? a.get("--kafka") : own.bootstrapServers();
        String run = "bench-" + System.currentTimeMillis();
        Path state = Files.createTempDirectory("guardrail-bench-");
        try {
            GuardrailTopology.Topics topics = new GuardrailTopology.Topics(run + ".decisions", run + ".outcomes",
                    run + ".joined", run + ".unmatched", run + ".watches", run + ".deltas", run + ".verdicts");
            createTopics(bootstrap, topics);
            System.out.printf("writing %,d decisions (%,d a minute of event time) and their outcomes...%n", decisions,
                    perMinute);
            long outcomes = produce(bootstrap, topics, decisions, perMinute);
            long events = decisions + outcomes;
            System.out.printf("written: %,d decisions + %,d outcomes = %,d events%n", decisions, outcomes, events);

            StreamCounters counters = new StreamCounters();
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, run);
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
            p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
            p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
            p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
            p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
            KafkaStreams streams = new KafkaStreams(GuardrailTopology.build(topics, new GuardrailTopology.Settings(
                    Duration.ofHours(6), Duration.ofMinutes(10), Duration.ofMinutes(2), PARTITIONS,
                    Duration.ofMinutes(30), Duration.ofMinutes(1)), counters, Stores::persistentKeyValueStore), p);
            long gcCountBefore = gcCount();
            long gcMillisBefore = gcMillis();
            long started = System.nanoTime();
            streams.start();
            long first = 0;
            long lastProgress = System.nanoTime();
            long seen = -1;
            long done = 0;
            while (true) {
                long processed = counters.bucketedDecisions().get() + counters.joined().get()
                        + counters.unmatched().get();
                long now = System.nanoTime();
                if (first == 0 && processed > 0) {
                    first = now;
                }
                if (processed != seen) {
                    seen = processed;
                    lastProgress = now;
                }
                if (processed >= events) {
                    done = now;
                    break;
                }
                if (now - lastProgress > Duration.ofSeconds(60).toNanos()) {
                    System.out.printf("stalled at %,d of %,d events: %s%n", processed, events, counters);
                    done = lastProgress;
                    break;
                }
                Thread.sleep(100);
            }
            double seconds = (done - first) / 1e9;
            long gcs = gcCount() - gcCountBefore;
            long gcTime = gcMillis() - gcMillisBefore;
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            streams.close(Duration.ofSeconds(60));
            long disk = size(state);
            long evaluations = counters.evaluations().get();
            System.out.println();
            System.out.println("guardrail bench: one instance, " + threads + " stream thread(s), " + PARTITIONS
                    + " partitions, exactly-once v2 (commit every " + commitMs + " ms), RocksDB; 1 rollout x 50 "
                    + "cohorts x 8 metrics = 400 guardrails");
            System.out.printf("  events processed      %,d (%,d decisions, %,d outcomes joined, %,d unmatched)%n",
                    seen, counters.bucketedDecisions().get(), counters.joined().get(), counters.unmatched().get());
            System.out.printf("  sustained             %,.0f events/s over %.1f s (start-up to first record %.1f s)%n",
                    seen / seconds, seconds, (first - started) / 1e9);
            System.out.printf("  heap after GC         %,.1f MB (JVM -Xmx %,d MB)%n", heap / 1e6,
                    Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf("  state stores on disk  %,.1f MB, %,.1f MB per million decisions%n", disk / 1e6,
                    disk / 1e6 / (decisions / 1e6));
            System.out.printf("  evaluation            %,d rollout minutes judged (400 guardrails each): mean %.2f ms, "
                    + "p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", evaluations, evaluations == 0 ? 0
                    : counters.evaluationNanos().get() / 1e6 / evaluations,
                    counters.evaluationMicros().getValueAtPercentile(50) / 1e3,
                    counters.evaluationMicros().getValueAtPercentile(99) / 1e3,
                    counters.maxEvaluationNanos().get() / 1e6);
            System.out.printf("                        the slowest was minute %,d of %,d judged; %,d GCs took %,d ms in all "
                    + "during the run%n", counters.slowestEvaluation().get(), evaluations, gcs, gcTime);
            System.out.printf("  verdicts              %,d; late deltas %,d%n", counters.verdicts().get(),
                    counters.lateDeltas().get());
        } finally {
            if (own != null) {
                own.close();
            }
            delete(state);
        }
    }

    static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionCount()))
                .sum();
    }

    static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime()))
                .sum();
    }

    static RolloutWatch watch(String id) {
        RolloutWatch.Builder w = RolloutWatch.newBuilder().setRolloutId(id).setTreatmentModelVersion("challenger-v2")
                .setActive(true).addShares(ShareChange.newBuilder().setFromMillis(T0.toEpochMilli()).setShare(0.5))
                .setAlpha(0.05).setMinimumStepMillis(Duration.ofMinutes(30).toMillis())
                .setSettleMillis(Duration.ofMinutes(5).toMillis()).setPlannedDecisions(100_000);
        for (String country : COUNTRIES) {
            for (String age : AGES) {
                for (GuardrailMetric m : METRICS) {
                    w.addGuardrails(WatchedGuardrail.newBuilder().setName(m.name() + " " + country + "/" + age)
                            .setMetric(m.name()).setCohort("country=" + country + " & age=" + age).setMargin(0.01)
                            .setAction("ROLLBACK").setMinimumExposurePerArm(1_000));
                }
            }
        }
        return w.build();
    }

    static void createTopics(String bootstrap, GuardrailTopology.Topics t) throws Exception {
        io.vigil.guardrail.streams.GuardrailTopics.ensure(bootstrap, new io.vigil.guardrail.streams.GuardrailTopics.Plan(
                Map.of(t.decisions(), Map.of(), t.outcomes(), Map.of(), t.joined(), Map.of(), t.unmatched(), Map.of(),
                        t.deltas(), Map.of(), t.verdicts(), Map.of(), t.rollouts(),
                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                PARTITIONS, (short) 1), List.of(t.decisions(), t.outcomes(), t.joined()), Duration.ofSeconds(30));
    }

    /** Writes the watch, the decisions and their outcomes in event-time order; returns the number of outcomes. */
    static long produce(String bootstrap, GuardrailTopology.Topics t, int decisions, int perMinute) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        SplittableRandom rnd = new SplittableRandom(2026);
        long outcomes = 0;
        PriorityQueue<ProducerRecord<String, byte[]>> due = new PriorityQueue<>(
                (x, y) -> Long.compare(x.timestamp(), y.timestamp()));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(t.rollouts(), "bench-rollout", watch("bench-rollout").toByteArray()))
                    .get();
            for (int i = 0; i < decisions; i++) {
                Instant at = T0.plusMillis(i * 60_000L / perMinute);
                String tx = "tx-" + i;
                boolean challenger = rnd.nextBoolean();
                double u = rnd.nextDouble();
                Decision decision = u < 0.85 ? Decision.DECISION_APPROVE : u < 0.93 ? Decision.DECISION_DECLINE
                        : u < 0.98 ? Decision.DECISION_STEP_UP : Decision.DECISION_REVIEW;
                boolean fallback = rnd.nextDouble() < 0.01;
                DecisionMade d = DecisionMade.newBuilder().setDecisionId("d-" + tx).setTransactionId(tx)
                        .setAccountId("a-" + (i % 100_000)).setDecidedAt(ProtoTime.of(at))
                        .setPaymentCreatedAt(ProtoTime.of(at)).setDecision(decision).setFallback(fallback)
                        .setArm(fallback ? Arm.ARM_UNSPECIFIED : challenger ? Arm.ARM_CHALLENGER : Arm.ARM_CHAMPION)
                        .setModelVersion(fallback ? "" : challenger ? "challenger-v2" : "champion-v1")
                        .setRoutedArm(challenger ? Arm.ARM_CHALLENGER : Arm.ARM_CHAMPION)
                        .setRoutedModelVersion(challenger ? "challenger-v2" : "champion-v1")
                        .setPolicyVersion("p-1").setScore(rnd.nextDouble())
                        .setAttributes(DecisionAttributes.newBuilder()
                                .setCountry(COUNTRIES[rnd.nextInt(COUNTRIES.length)])
                                .setCustomerAgeBand(AGES[rnd.nextInt(AGES.length)]).setChannel("web")
                                .setAmountUsd(5 + rnd.nextDouble() * 500))
                        .build();
                producer.send(record(t.decisions(), tx, d, at, "scoring-service"));
                if (decision == Decision.DECISION_APPROVE) {
                    double v = rnd.nextDouble();
                    OutcomeKind kind = v < 0.90 ? OutcomeKind.OUTCOME_KIND_ORDER_COMPLETED
                            : v < 0.905 ? OutcomeKind.OUTCOME_KIND_CHARGEBACK_FRAUD : null;
                    if (kind != null) {
                        Instant when = at.plusSeconds(kind == OutcomeKind.OUTCOME_KIND_ORDER_COMPLETED ? 90 : 240);
                        due.add(record(t.outcomes(), tx, OutcomeRecorded.newBuilder().setOutcomeId("o-" + tx)
                                .setTransactionId(tx).setAccountId(d.getAccountId()).setOccurredAt(ProtoTime.of(when))
                                .setKind(kind).setProducer("bench").build(), when, "checkout-simulator"));
                    }
                }
                // Outcomes go out once their own time has come, so the topics hold them in event-time order.
                while (!due.isEmpty() && due.peek().timestamp() <= at.toEpochMilli()) {
                    producer.send(due.poll());
                    outcomes++;
                }
            }
            while (!due.isEmpty()) {
                producer.send(due.poll());
                outcomes++;
            }
            producer.flush();
        }
        return outcomes;
    }

    static ProducerRecord<String, byte[]> record(String topic, String key, com.google.protobuf.Message payload,
            Instant at, String service) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, null, at.toEpochMilli(), key,
                payload.toByteArray());
        new CloudEventHeaders(topic + "/" + key, CloudEventHeaders.sourceOf(service),
                payload.getDescriptorForType().getFullName(), at, CloudEventHeaders.PROTOBUF).writeTo(r.headers());
        return r;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(args[i], args[i + 1]);
        }
        return m;
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
