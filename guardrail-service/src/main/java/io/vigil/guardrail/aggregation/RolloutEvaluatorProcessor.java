package io.vigil.guardrail.aggregation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import org.HdrHistogram.Histogram;

import com.google.protobuf.InvalidProtocolBufferException;

import io.vigil.contracts.events.v1.GuardrailEvidence;
import io.vigil.contracts.events.v1.Judgement;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.contracts.events.v1.VerdictKind;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.aggregation.state.RolloutBucket;
import io.vigil.guardrail.aggregation.state.RolloutDelta;
import io.vigil.guardrail.aggregation.state.RolloutWatch;
import io.vigil.guardrail.aggregation.state.ShareChange;
import io.vigil.guardrail.aggregation.state.WatchedGuardrail;
import io.vigil.guardrail.evaluation.Guardrail;
import io.vigil.guardrail.evaluation.GuardrailAssessment;
import io.vigil.guardrail.evaluation.GuardrailData;
import io.vigil.guardrail.evaluation.GuardrailEvaluator;
import io.vigil.guardrail.evaluation.GuardrailMetric;
import io.vigil.guardrail.evaluation.LabelMaturity;
import io.vigil.guardrail.evaluation.StepEvaluator;
import io.vigil.guardrail.evaluation.StepVerdict;
import io.vigil.guardrail.statistics.DifferenceConfidenceSequence;
import io.vigil.guardrail.statistics.ErrorBudget;
import io.vigil.guardrail.statistics.SampleRatioTest;

/**
 * Keeps each rollout's minute buckets (the deltas of its decisions and outcomes) and evaluates the rollout every
 * minute of stream time: folds the settled buckets in event-time order into each guardrail's data (a running
 * {@link RolloutFold} per rollout: only the minutes settled since the last evaluation are read), judges it, and
 * issues the step's verdict. A task evaluates only the rollouts whose buckets it holds, so exactly one instance
 * speaks for a rollout. Aggregation here, judgement in {@code io.vigil.guardrail.evaluation}: a replay of the topics
 * refolds the same buckets and issues the same verdicts.
 */
final class RolloutEvaluatorProcessor implements Processor<String, byte[], String, byte[]> {

    /** Sample-ratio checks run at this level, apart from the guardrails' budget: a mismatch holds, never rolls back. */
    static final double SAMPLE_RATIO_ALPHA = 0.001;

    static final String SOURCE = CloudEventHeaders.sourceOf("guardrail-service");
    static final String VERDICT_TYPE = VerdictIssued.getDescriptor().getFullName();

    /** A rollout catching up (a restart, a stalled partition) evaluates at most this far back, minute by minute. */
    static final long MAX_CATCH_UP_MILLIS = Duration.ofDays(1).toMillis();

    private final StreamCounters counters;
    private final long minimumSettleMillis;
    private final int sourcePartitions;
    private final long maxPartitionLagMillis;
    private final long partitionSilenceMillis;
    private final LabelMaturity labels;
    /** A watch missing from the global store this long (wall time) is taken as removed and its state dropped. */
    static final long ABSENT_WATCH_GRACE_MILLIS = Duration.ofMinutes(10).toMillis();

    /** Wall time each rollout|partition watermark last moved (since this task started): silence is wall time. */
    private final Map<String, Long> lastMoved = new HashMap<>();
    /** Wall time since which a rollout this task holds state for has had no watch in the global store. */
    private final Map<String, Long> absentSince = new HashMap<>();
    /** Per rollout id: the watch's bytes as last seen and what they parsed to. */
    private final Map<String, Parsed> parsedWatches = new HashMap<>();
    /** Per rollout id: its settled buckets folded so far (rebuilt from the store when missing or stale). */
    private final Map<String, RolloutFold> folds = new HashMap<>();
    private long startedWallMillis;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, RolloutBucket> buckets;
    private KeyValueStore<String, Long> evaluated;
    private KeyValueStore<String, Long> watermarks;
    private ReadOnlyKeyValueStore<String, byte[]> watches;

    RolloutEvaluatorProcessor(StreamCounters counters, GuardrailTopology.Settings settings) {
        this.counters = counters;
        this.minimumSettleMillis = settings.minimumSettle().toMillis();
        this.sourcePartitions = settings.sourcePartitions();
        this.maxPartitionLagMillis = settings.maxPartitionLag().toMillis();
        this.partitionSilenceMillis = settings.partitionSilence().toMillis();
        this.labels = settings.labels();
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.buckets = context.getStateStore(GuardrailTopology.BUCKETS_STORE);
        this.evaluated = context.getStateStore(GuardrailTopology.EVALUATED_STORE);
        this.watermarks = context.getStateStore(GuardrailTopology.WATERMARKS_STORE);
        this.startedWallMillis = context.currentSystemTimeMs();
        this.watches = context.getStateStore(GuardrailTopology.ROLLOUTS_STORE);
        warmUp();
        context.schedule(Duration.ofMillis(RolloutDeltaProcessor.BUCKET_MILLIS), PunctuationType.STREAM_TIME,
                this::evaluateAll);
        // Wall time: once a rollout ends, nothing more may come to this task to move its stream time.
        context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, now -> dropFinished());
    }

    /**
     * Judges a made-up rollout (every metric, three minutes) a few times before this task processes anything, and
     * throws the verdicts away. The first minute judged after a start otherwise pays for loading and first running
     * the statistics' code: 90-180 ms in the bench, against 2-5 ms for the minutes after it.
     */
    private void warmUp() {
        RolloutWatch.Builder w = RolloutWatch.newBuilder().setRolloutId("warm-up").setActive(true).setAlpha(0.05)
                .setPlannedDecisions(100_000).setMinimumStepMillis(RolloutDeltaProcessor.BUCKET_MILLIS)
                .addShares(ShareChange.newBuilder().setFromMillis(0).setShare(0.5))
                .addPlannedShares(0.5).addPlannedShares(1.0);
        for (GuardrailMetric m : GuardrailMetric.values()) {
            WatchedGuardrail.Builder g = WatchedGuardrail.newBuilder().setName(m.name()).setMetric(m.name())
                    .setMargin(m.statistic() == GuardrailMetric.Statistic.QUANTILE ? 5 : 0.01).setAction("ROLLBACK")
                    .setMinimumExposurePerArm(10);
            if (m.statistic() == GuardrailMetric.Statistic.LOAD) {
                // A capacity guardrail is judged only against its limit: events per hour.
                g.setMargin(0).setLimit(1_000).setPeriodMillis(3_600_000L);
            }
            w.addGuardrails(g);
        }
        // The ceiling form of the chargeback rate (projected from the labels expected so far).
        w.addGuardrails(WatchedGuardrail.newBuilder().setName("CHARGEBACK_CEILING").setMetric("CHARGEBACK_RATE")
                .setMargin(0).setLimit(0.009).setAction("ROLLBACK").setMinimumExposurePerArm(10));
        WatchedRollout rollout = WatchedRollout.of(w.build());
        int n = rollout.guardrails().size();
        for (int round = 0; round < 5; round++) {
            RolloutFold fold = new RolloutFold(rollout, 0);
            for (int minute = 0; minute < 3; minute++) {
                BucketCounts b = new BucketCounts();
                for (int g = 0; g < n; g++) {
                    b.exposure(g, true, 100);
                    b.exposure(g, false, 100);
                    b.event(g, true, 10 + minute + round);
                    b.event(g, false, 10);
                    if (rollout.guardrails().get(g).metric().statistic() == GuardrailMetric.Statistic.QUANTILE) {
                        b.latency(g, true, 20_000 + 100L * round, 100);
                        b.latency(g, false, 19_000, 100);
                    }
                }
                for (int i = 0; i < 100; i++) {
                    b.decision(true);
                    b.decision(false);
                }
                fold.add(minute * RolloutDeltaProcessor.BUCKET_MILLIS, b.toProto());
            }
            judge(rollout, fold, 3 * RolloutDeltaProcessor.BUCKET_MILLIS, 0).toByteArray();
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RolloutDelta d;
        try {
            d = RolloutDelta.parseFrom(record.value());
        } catch (InvalidProtocolBufferException | NullPointerException e) {
            counters.undecodable().incrementAndGet();
            return;
        }
        WatchedRollout rollout = watched(d.getRolloutId());
        if (rollout != null && !rollout.watch().getActive()) {
            // The rollout is over (inactive is final): its state is being dropped; what is still in flight goes too.
            return;
        }
        if (d.hasWatermarkMillis()) {
            String mark = d.getRolloutId() + "|" + d.getSourcePartition();
            Long before = watermarks.get(mark);
            if (before == null || d.getWatermarkMillis() > before) {
                watermarks.put(mark, d.getWatermarkMillis());
                lastMoved.put(mark, context.currentSystemTimeMs());
                if (rollout != null) {
                    advance(rollout, context.currentStreamTimeMs());
                }
            }
            return;
        }
        String key = key(d.getRolloutId(), d.getBucketStartMillis());
        RolloutBucket stored = buckets.get(key);
        BucketCounts next = stored == null ? new BucketCounts() : BucketCounts.of(stored);
        long decisions;
        if (d.hasCounts()) {
            next.add(d.getCounts());
            decisions = d.getCounts().getTreatmentDecisions() + d.getCounts().getControlDecisions();
        } else {
            // One record's bits, as builds before the summed counts sent them (still on the topic after an upgrade).
            int words = Math.max(d.getExposedWordsCount(), d.getEventWordsCount());
            for (int g = 0; g < words * 64; g++) {
                long bit = 1L << g;
                long exposedWord = g >>> 6 < d.getExposedWordsCount() ? d.getExposedWords(g >>> 6) : 0;
                long eventWord = g >>> 6 < d.getEventWordsCount() ? d.getEventWords(g >>> 6) : 0;
                next.exposure(g, d.getTreatment(), (exposedWord & bit) != 0 ? 1 : 0);
                next.event(g, d.getTreatment(), (eventWord & bit) != 0 ? 1 : 0);
            }
            decisions = d.getDecision() ? 1 : 0;
            if (d.getDecision()) {
                next.decision(d.getTreatment());
            }
        }
        Long last = evaluated.get(d.getRolloutId());
        if (last != null && d.getBucketStartMillis() + RolloutDeltaProcessor.BUCKET_MILLIS <= last) {
            counters.lateDeltas().incrementAndGet();
        }
        RolloutFold fold = folds.get(d.getRolloutId());
        if (fold != null && d.getBucketStartMillis() < fold.foldedUntil) {
            // A bucket already folded changed (a late delta): the next evaluation folds again from the store.
            folds.remove(d.getRolloutId());
        }
        counters.bucketedDecisions().addAndGet(decisions);
        buckets.put(key, next.toProto());
    }

    /** Bucket keys sort by rollout, then by time: the zero-padded start makes the string order the time order. */
    static String key(String rolloutId, long bucketStart) {
        return rolloutId + "|" + String.format("%020d", bucketStart);
    }

    private void evaluateAll(long streamTime) {
        List<WatchedRollout> active = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = watches.all()) {
            while (all.hasNext()) {
                WatchedRollout w = watched(all.next().key);
                if (w != null && w.watch().getActive()) {
                    active.add(w);
                }
            }
        }
        for (WatchedRollout w : active) {
            advance(w, streamTime);
        }
    }

    /**
     * The rollout's watch as stored now, parsed once per version (a watch of hundreds of guardrails takes a while to
     * parse); null when there is none or it cannot be read.
     */
    private WatchedRollout watched(String rolloutId) {
        byte[] raw = watches.get(rolloutId);
        if (raw == null) {
            parsedWatches.remove(rolloutId);
            return null;
        }
        Parsed cached = parsedWatches.get(rolloutId);
        if (cached != null && (cached.raw() == raw || Arrays.equals(cached.raw(), raw))) {
            return cached.rollout();
        }
        WatchedRollout fresh;
        try {
            RolloutWatch w = GuardrailTopology.parseWatch(raw);
            fresh = w == null ? null : WatchedRollout.of(w);
        } catch (IllegalArgumentException e) {
            fresh = null;
        }
        parsedWatches.put(rolloutId, new Parsed(raw, fresh));
        return fresh;
    }

    private record Parsed(byte[] raw, WatchedRollout rollout) {
    }

    /**
     * Drops the state of every rollout this task holds whose watch has ended (inactive, which is final, or removed):
     * its buckets, its last judged minute and its partitions' watermarks. Every rollout that has buckets here has
     * watermarks here (each upstream task sends one after its first counts), so the watermarks name them.
     */
    private void dropFinished() {
        long now = context.currentSystemTimeMs();
        Set<String> finished = new TreeSet<>();
        Set<String> absent = new TreeSet<>();
        List<String> marks = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = watermarks.all()) {
            while (all.hasNext()) {
                String mark = all.next().key;
                String rollout = mark.substring(0, mark.lastIndexOf('|'));
                byte[] raw = watches.get(rollout);
                RolloutWatch w = GuardrailTopology.parseWatch(raw);
                boolean over = w != null && !w.getActive();
                if (raw == null) {
                    // Removed (a tombstone), or not loaded on this instance yet while another already counts for it:
                    // dropped only once it has stayed away a while.
                    absent.add(rollout);
                    over = now - absentSince.computeIfAbsent(rollout, r -> now) >= ABSENT_WATCH_GRACE_MILLIS;
                }
                if (over) {
                    finished.add(rollout);
                    marks.add(mark);
                }
            }
        }
        absentSince.keySet().retainAll(absent);
        for (String rollout : finished) {
            List<String> keys = new ArrayList<>();
            try (KeyValueIterator<String, RolloutBucket> it = buckets.prefixScan(rollout + "|",
                    new StringSerializer())) {
                while (it.hasNext()) {
                    keys.add(it.next().key);
                }
            }
            keys.forEach(buckets::delete);
            evaluated.delete(rollout);
            folds.remove(rollout);
            counters.rolloutsDropped().incrementAndGet();
        }
        for (String mark : marks) {
            watermarks.delete(mark);
            lastMoved.remove(mark);
        }
    }

    /**
     * Judges every minute of the rollout not judged yet up to the newest one all source partitions have passed (less
     * the settle delay), in order, so every run, however its partitions were shared, issues the same verdicts. A
     * partition that stays silent (its watermark still for {@code partitionSilence} of wall time) holds the rollout back
     * at most {@code maxPartitionLag} behind this task's stream time; one that lags but moves (a replay, a restore)
     * holds it back as long as it lags.
     */
    private void advance(WatchedRollout rollout, long streamTime) {
        RolloutWatch w = rollout.watch();
        if (streamTime < 0) {
            return; // no record yet
        }
        long floor = streamTime - maxPartitionLagMillis;
        long now = context.currentSystemTimeMs();
        long progress = Long.MAX_VALUE;
        boolean laggardsSilent = true;
        for (int p = 0; p < sourcePartitions; p++) {
            String key = w.getRolloutId() + "|" + p;
            Long mark = watermarks.get(key);
            progress = Math.min(progress, mark == null ? Long.MIN_VALUE : mark);
            if (mark == null || mark < floor) {
                laggardsSilent &= now - lastMoved.getOrDefault(key, startedWallMillis) >= partitionSilenceMillis;
            }
        }
        long effective = Math.min(streamTime, laggardsSilent ? Math.max(progress, floor) : progress);
        if (effective == Long.MIN_VALUE) {
            return; // a partition not heard from yet, and not silent long enough to judge without it
        }
        long limit = minute(effective - Math.max(w.getSettleMillis(), minimumSettleMillis));
        Long last = evaluated.get(w.getRolloutId());
        long from = last != null ? last + RolloutDeltaProcessor.BUCKET_MILLIS
                : minute(w.getSharesCount() == 0 ? limit : w.getShares(0).getFromMillis())
                        + RolloutDeltaProcessor.BUCKET_MILLIS;
        if (from > limit) {
            return;
        }
        for (long at = Math.max(from, limit - MAX_CATCH_UP_MILLIS); at <= limit;
                at += RolloutDeltaProcessor.BUCKET_MILLIS) {
            long began = System.nanoTime();
            VerdictIssued v = evaluateAt(rollout, at);
            counters.evaluated(System.nanoTime() - began);
            if (v != null) {
                context.forward(new Record<>(w.getRolloutId(), v.toByteArray(), at, headers(v)));
                counters.verdictIssued(v.getKind());
            }
            // Judged, with or without a verdict: this minute is never judged again, by this task or its successor.
            evaluated.put(w.getRolloutId(), at);
        }
    }

    private static long minute(long millis) {
        return Math.floorDiv(millis, RolloutDeltaProcessor.BUCKET_MILLIS) * RolloutDeltaProcessor.BUCKET_MILLIS;
    }

    /**
     * The verdict's CloudEvents attributes. The id is the verdict id (rollout@time), not a random one, so a replay or a
     * task taking a rollout over issues the same ids and a consumer de-duplicating on ce_id sees each verdict once.
     */
    static Headers headers(VerdictIssued v) {
        Headers h = new RecordHeaders();
        new CloudEventHeaders(v.getVerdictId(), SOURCE, VERDICT_TYPE, ProtoTime.toInstant(v.getEvaluatedAt()),
                CloudEventHeaders.PROTOBUF).writeTo(h);
        return h;
    }

    /**
     * The verdict on the rollout's current step from its buckets before {@code limit}; null if it has none yet. Folds
     * only the buckets settled since the previous evaluation into the rollout's {@link RolloutFold} (built from the
     * store when this task has none, e.g. after a restart or a rebalance: the same sums either way).
     */
    VerdictIssued evaluateAt(WatchedRollout rollout, long limit) {
        RolloutWatch w = rollout.watch();
        long stepStart = rollout.stepStart(limit);
        if (limit <= rollout.start()) {
            return null;
        }
        RolloutFold fold = folds.get(w.getRolloutId());
        if (fold == null || fold.rollout != rollout || fold.foldedUntil > limit) {
            fold = new RolloutFold(rollout, rollout.start());
            folds.put(w.getRolloutId(), fold);
        }
        if (fold.foldedUntil < limit) {
            try (KeyValueIterator<String, RolloutBucket> it = buckets.range(key(w.getRolloutId(),
                    Math.max(rollout.start(), fold.foldedUntil)), key(w.getRolloutId(), limit - 1))) {
                while (it.hasNext()) {
                    KeyValue<String, RolloutBucket> kv = it.next();
                    long start = Long.parseLong(kv.key.substring(kv.key.lastIndexOf('|') + 1));
                    if (start + RolloutDeltaProcessor.BUCKET_MILLIS > limit) {
                        break;
                    }
                    fold.add(start, kv.value);
                }
            }
            fold.foldedUntil = limit;
        }
        if (!fold.any) {
            // Nothing settled for this rollout in this task: another task holds it, or it has not started yet.
            return null;
        }
        return judge(rollout, fold, limit, stepStart);
    }

    /** The verdict on the step starting at {@code stepStart} from the fold of the buckets before {@code limit}. */
    private VerdictIssued judge(WatchedRollout rollout, RolloutFold fold, long limit, long stepStart) {
        RolloutWatch w = rollout.watch();
        List<Guardrail> guardrails = rollout.guardrails();
        int n = guardrails.size();
        // Delayed labels: matured approvals and frauds per arm, the labels expected among them, and over every
        // vintage the labels expected by now; the weights depend on the minute judged, so they are summed afresh,
        // bucket by bucket in event-time order.
        long[][] matured = new long[n][];
        double[][] expected = new double[n][];
        for (int g : fold.labelled) {
            matured[g] = new long[4];
            expected[g] = new double[3];
        }
        if (fold.labelled.length > 0) {
            for (int b = 0; b < fold.buckets(); b++) {
                long start = fold.start(b);
                // A vintage's age: from its newest payment (the bucket's end) to the minute judged.
                double labelled = labels.expectedShare(limit - start - RolloutDeltaProcessor.BUCKET_MILLIS);
                boolean mature = labels.mature(limit - start - RolloutDeltaProcessor.BUCKET_MILLIS);
                for (int i = 0; i < fold.labelled.length; i++) {
                    int g = fold.labelled[i];
                    long te = fold.labelledCount(b, i, 0);
                    long ce = fold.labelledCount(b, i, 2);
                    if (mature) {
                        matured[g][0] += te;
                        matured[g][1] += fold.labelledCount(b, i, 1);
                        matured[g][2] += ce;
                        matured[g][3] += fold.labelledCount(b, i, 3);
                        expected[g][2] += (te + ce) * labelled;
                    }
                    expected[g][0] += te * labelled;
                    expected[g][1] += ce * labelled;
                }
            }
        }
        long[] inStep = fold.decisionsSince(stepStart);
        long treatmentInStep = inStep[0];
        long controlInStep = inStep[1];
        DifferenceConfidenceSequence.State[] states = fold.states;
        long[][] arm = fold.arm;
        Histogram[] treatmentLatency = fold.treatmentLatency;
        Histogram[] controlLatency = fold.controlLatency;
        ErrorBudget budget = new ErrorBudget(w.getAlpha(), n);
        GuardrailEvaluator evaluator = new GuardrailEvaluator(Math.max(1, w.getPlannedDecisions()),
                budget.perGuardrail(), 100);
        List<GuardrailAssessment> evidence = new ArrayList<>(n);
        for (int g = 0; g < n; g++) {
            GuardrailData data;
            if (guardrails.get(g).metric().statistic() == GuardrailMetric.Statistic.RATE) {
                data = new GuardrailData.Rates(states[g]);
            } else if (treatmentLatency[g] != null) {
                data = new GuardrailData.Latencies(treatmentLatency[g], controlLatency[g]);
            } else if (matured[g] != null) {
                long m = matured[g][0] + matured[g][2];
                data = new GuardrailData.DelayedLabels(
                        new GuardrailData.ArmRates(matured[g][0], matured[g][1], matured[g][2], matured[g][3]),
                        m == 0 ? 0 : expected[g][2] / m,
                        new GuardrailData.ArmRates(arm[g][0], arm[g][1], arm[g][2], arm[g][3]),
                        expected[g][0], expected[g][1], labels.matureShare());
            } else {
                data = new GuardrailData.ArmRates(arm[g][0], arm[g][1], arm[g][2], arm[g][3]);
                if (guardrails.get(g).metric().statistic() == GuardrailMetric.Statistic.LOAD) {
                    data = LimitGuardrails.load((GuardrailData.ArmRates) data, rollout, limit);
                }
            }
            evidence.add(evaluator.evaluate(guardrails.get(g), data, budget.perGuardrail()));
        }
        double share = rollout.shareAt(limit);
        String mismatch = null;
        if (treatmentInStep + controlInStep > 0 && new SampleRatioTest(new double[] {share, 1 - share}, 100)
                .mismatch(new long[] {treatmentInStep, controlInStep}, SAMPLE_RATIO_ALPHA)) {
            mismatch = String.format("%d of %d decisions on the treatment (%.2f%%) against %.2f%% configured",
                    treatmentInStep, treatmentInStep + controlInStep,
                    100.0 * treatmentInStep / (treatmentInStep + controlInStep), 100 * share);
        }
        StepVerdict verdict = StepEvaluator.evaluate(limit - stepStart >= w.getMinimumStepMillis(), mismatch,
                evidence);
        return VerdictIssued.newBuilder()
                .setVerdictId(w.getRolloutId() + "@" + limit)
                .setKind(kind(verdict.kind()))
                .setRolloutId(w.getRolloutId())
                .setEvaluatedAt(ProtoTime.of(Instant.ofEpochMilli(limit)))
                .setReason(verdict.reason())
                .setTreatmentShare(share)
                .addAllEvidence(evidence.stream().map(RolloutEvaluatorProcessor::evidence).toList())
                .build();
    }

    private static VerdictKind kind(StepVerdict.Kind k) {
        return switch (k) {
            case CONTINUE -> VerdictKind.VERDICT_KIND_CONTINUE;
            case PROMOTE_STEP -> VerdictKind.VERDICT_KIND_PROMOTE_STEP;
            case HOLD -> VerdictKind.VERDICT_KIND_HOLD;
            case ROLLBACK -> VerdictKind.VERDICT_KIND_ROLLBACK;
        };
    }

    private static GuardrailEvidence evidence(GuardrailAssessment e) {
        Judgement j = switch (e.judgement()) {
            case HARMFUL -> Judgement.JUDGEMENT_HARMFUL;
            case NON_INFERIOR -> Judgement.JUDGEMENT_NON_INFERIOR;
            case INCONCLUSIVE -> Judgement.JUDGEMENT_INCONCLUSIVE;
        };
        GuardrailEvidence.Builder b = GuardrailEvidence.newBuilder()
                .setGuardrail(e.guardrail().name())
                .setMetric(e.guardrail().metric().name())
                .setCohort(e.guardrail().cohort())
                .setJudgement(j)
                .setEstimate(e.estimate())
                .setHarmLower(e.harm().lower())
                .setHarmUpper(e.harm().upper())
                .setMargin(e.guardrail().margin())
                .setTreatmentExposure(e.treatmentExposure())
                .setControlExposure(e.controlExposure())
                .setAlpha(e.alpha())
                .setMissing(e.missing() == null ? "" : e.missing())
                .setAction(e.guardrail().action() == io.vigil.guardrail.evaluation.GuardrailAction.ROLLBACK
                        ? io.vigil.contracts.events.v1.BreachAction.BREACH_ACTION_ROLLBACK
                        : io.vigil.contracts.events.v1.BreachAction.BREACH_ACTION_ALERT);
        if (!Double.isNaN(e.labelMaturity())) {
            b.setLabelMaturity(e.labelMaturity());
        }
        if (e.limitCheck() != null) {
            b.setLimit(LimitGuardrails.of(e.limitCheck()));
        }
        return b.build();
    }
}
