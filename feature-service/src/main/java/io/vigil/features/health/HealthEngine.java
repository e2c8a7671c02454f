package io.vigil.features.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

import io.vigil.features.contract.FeatureContract;

/**
 * Feature health over sliding windows, per feature and segment. Pure and synchronised; no I/O.
 *
 * <p>Each feature keeps its recent observations in <b>event-time</b> buckets (a uniform reservoir of at most
 * {@code samplesPerBucket} per bucket), each observation carrying its segment attributes, so every segment's
 * statistics come from one pass over the window. An observation lands in the bucket of its own event time, whenever it
 * arrives; the window is the {@code buckets} buckets up to the newest event time seen (the feature's watermark), so a
 * replayed day gives the windows the real day had. An observation older than the window is counted as late and not
 * placed; an event time ahead of the wall clock counts as now (a producer whose clock runs ahead must not push every
 * window forward). The first time a feature's window holds {@code minReferenceCount} observations it is frozen as the
 * reference (until {@link #rebaseline}).
 *
 * <p>An alarm that one segment's trouble spills into overlapping segments (defaulted values for login_method=social
 * also raise the default rate of country=US and of the whole population) is attributed: a segment whose metric crossed
 * its level is <em>explained by</em> a more severe alarm of another attribute's segment when, with that segment's
 * observations left out of both windows, the metric no longer crosses. Explained crossings are reported but raise no
 * alarm, so the alarm lands on the segment where the problem is.
 */
public final class HealthEngine {

    /** Tunables; see FeaturesConfig.Health for their meaning. */
    public record Settings(Duration bucket, int buckets, int minReferenceCount, int minWindowCount, int evaluateEvery,
            Duration evaluationInterval, int samplesPerBucket, double psiFloor, double alpha, double ksFloor, double rateFloor) {

        public Settings {
            if (minReferenceCount > (long) buckets * samplesPerBucket) {
                throw new IllegalArgumentException("min-reference-count " + minReferenceCount
                        + " can never be reached by a window of " + buckets + " buckets x " + samplesPerBucket + " samples");
            }
        }
    }

    private static final int PSI_QUANTILE_BINS = 10;
    private static final HealthMetric[] RATES = { HealthMetric.DEFAULT_RATE, HealthMetric.NULL_RATE,
            HealthMetric.OUT_OF_RANGE_RATE, HealthMetric.STALE_RATE };
    private static final int[] RATE_FLAGS = { Observation.DEFAULT, Observation.NULL, Observation.OUT_OF_RANGE,
            Observation.STALE };

    private final Settings settings;
    private final Map<String, FeatureWindow> features = new LinkedHashMap<>();
    private final SplittableRandom random;

    public HealthEngine(Settings settings, long seed) {
        this.settings = settings;
        this.random = new SplittableRandom(seed);
    }

    private static final class Bucket {
        final long index;
        final ArrayList<Observation> observations = new ArrayList<>();
        long seen;

        Bucket(long index) {
            this.index = index;
        }
    }

    private static final class FeatureWindow {
        FeatureContract contract;
        /** Event-time buckets by index (event time / bucket length). */
        final TreeMap<Long, Bucket> buckets = new TreeMap<>();
        /** Index of the newest event-time bucket seen: the window ends there. */
        long newest = Long.MIN_VALUE;
        long late;
        List<Observation> reference;
        double[] edges;
        int sinceEvaluation;
        long lastEvaluationMillis = Long.MIN_VALUE / 2;
        final Map<Segment, Set<HealthMetric>> alarms = new HashMap<>();
        final Map<Segment, SegmentHealth> latest = new LinkedHashMap<>();
    }

    /** An observation whose event time is its arrival time (tests and callers without an event time). */
    public synchronized void observe(FeatureContract contract, Observation o, Instant now) {
        observe(contract, o, now, now);
    }

    /**
     * Places an observation in the bucket of its event time.
     *
     * @return false when it is older than the feature's window (counted in {@link #late}, not placed)
     */
    public synchronized boolean observe(FeatureContract contract, Observation o, Instant eventTime, Instant now) {
        FeatureWindow w = features.computeIfAbsent(contract.name(), k -> new FeatureWindow());
        w.contract = contract;
        long index = Math.min(eventTime.toEpochMilli(), now.toEpochMilli()) / settings.bucket().toMillis();
        if (index > w.newest) {
            w.newest = index;
            expire(w);
        }
        if (index <= w.newest - settings.buckets()) {
            w.late++;
            return false;
        }
        Bucket b = w.buckets.computeIfAbsent(index, Bucket::new);
        b.seen++;
        if (b.observations.size() < settings.samplesPerBucket()) {
            b.observations.add(o);
        } else {
            long j = random.nextLong(b.seen);
            if (j < settings.samplesPerBucket()) {
                b.observations.set((int) j, o);
            }
        }
        w.sinceEvaluation++;
        return true;
    }

    private void expire(FeatureWindow w) {
        w.buckets.headMap(w.newest - settings.buckets(), true).clear();
    }

    /** Observations seen per event-time bucket of a feature's window, by bucket start (tests, diagnostics). */
    public synchronized SortedMap<Instant, Long> bucketCounts(String feature) {
        SortedMap<Instant, Long> out = new TreeMap<>();
        FeatureWindow w = features.get(feature);
        if (w != null) {
            w.buckets.forEach((i, b) -> out.put(Instant.ofEpochMilli(i * settings.bucket().toMillis()), b.seen));
        }
        return out;
    }

    /** Observations of a feature that arrived older than its window and were not placed. */
    public synchronized long late(String feature) {
        FeatureWindow w = features.get(feature);
        return w == null ? 0 : w.late;
    }

    /** Features with enough new observations since their last evaluation, and not evaluated too recently. */
    public synchronized List<String> due(Instant now) {
        List<String> out = new ArrayList<>();
        long nowMillis = now.toEpochMilli();
        features.forEach((name, w) -> {
            if (w.sinceEvaluation >= settings.evaluateEvery()
                    && nowMillis - w.lastEvaluationMillis >= settings.evaluationInterval().toMillis()) {
                out.add(name);
            }
        });
        return out;
    }

    public synchronized List<String> featureNames() {
        return new ArrayList<>(features.keySet());
    }

    /** Drops a feature's reference; the next full window becomes the new one (after a fix or an intended change). */
    public synchronized void rebaseline(String feature) {
        rebaseline(feature, Segment.ALL, Instant.EPOCH, "");
    }

    /**
     * Re-baselines a feature (after a fix, or a change that is intended), for the whole population or one segment, and
     * recovers the alarms it clears (returned, so they are published like any recovery).
     *
     * <ul>
     *   <li>{@link Segment#ALL}: the reference and the window are dropped; the reference is rebuilt from observations
     *       that arrive from now on, the next time the window holds {@code minReferenceCount} of them (a window that
     *       still holds observations from before the change would make the old normal part of the new one).</li>
     *   <li>A segment: that segment's observations in the reference are replaced by its observations in the current
     *       window, so its present distribution becomes its normal; other segments keep their reference (the
     *       segment's share in overlapping segments, e.g. social logins within country=US, changes with it).</li>
     * </ul>
     *
     * @return the recoveries of every alarm in the re-baselined scope; empty when the feature is unknown
     */
    public synchronized List<HealthChange> rebaseline(String feature, Segment segment, Instant now, String why) {
        FeatureWindow w = features.get(feature);
        if (w == null) {
            return List.of();
        }
        List<HealthChange> recovered = new ArrayList<>();
        for (Map.Entry<Segment, Set<HealthMetric>> e : w.alarms.entrySet()) {
            Segment s = e.getKey();
            if (segment.all() || s.equals(segment)) {
                for (HealthMetric m : e.getValue()) {
                    recovered.add(new HealthChange(feature, s, m, false, 0, 0, 0, 0, 0, now, now,
                            s + ": " + m + " re-baselined (" + why + ")"));
                }
            }
        }
        if (segment.all()) {
            w.reference = null;
            w.edges = null;
            w.buckets.clear();
            w.alarms.clear();
            w.latest.clear();
        } else {
            w.alarms.remove(segment);
            w.latest.remove(segment);
            if (w.reference != null) {
                List<Observation> next = new ArrayList<>();
                for (Observation o : w.reference) {
                    if (!o.in(segment)) {
                        next.add(o);
                    }
                }
                w.buckets.values().forEach(b -> b.observations.stream().filter(o -> o.in(segment)).forEach(next::add));
                w.reference = List.copyOf(next);
                w.edges = w.contract.type().numeric() ? quantileEdges(w.reference) : null;
            }
        }
        return recovered;
    }

    public synchronized List<SegmentHealth> snapshot(String feature, Segment segment) {
        List<SegmentHealth> out = new ArrayList<>();
        features.forEach((name, w) -> {
            if (feature == null || feature.equals(name)) {
                w.latest.forEach((s, h) -> {
                    if (segment == null || segment.equals(s)) {
                        out.add(h);
                    }
                });
            }
        });
        return out;
    }

    /** Evaluates every segment of a feature; returns the alarms raised and recovered since its last evaluation. */
    public synchronized List<HealthChange> evaluate(String feature, Instant now) {
        FeatureWindow w = features.get(feature);
        if (w == null) {
            return List.of();
        }
        w.sinceEvaluation = 0;
        w.lastEvaluationMillis = now.toEpochMilli();
        List<Observation> window = new ArrayList<>();
        w.buckets.values().forEach(b -> window.addAll(b.observations));
        if (w.reference == null) {
            if (window.size() < settings.minReferenceCount()) {
                return List.of();
            }
            w.reference = List.copyOf(window);
            w.edges = w.contract.type().numeric() ? quantileEdges(w.reference) : null;
        }
        Instant windowStart = w.buckets.isEmpty() ? now
                : Instant.ofEpochMilli(w.buckets.firstKey() * settings.bucket().toMillis());

        Map<Segment, Stats> win = collect(w, window);
        Map<Segment, Stats> ref = collect(w, w.reference);
        Map<Segment, Evaluation> evals = new LinkedHashMap<>();
        for (Map.Entry<Segment, Stats> e : win.entrySet()) {
            evals.put(e.getKey(), evaluate(w, e.getValue(), ref.getOrDefault(e.getKey(), new Stats())));
        }
        List<HealthChange> changes = new ArrayList<>();
        Map<Segment, SegmentHealth> latest = new LinkedHashMap<>();
        for (Map.Entry<Segment, Evaluation> e : evals.entrySet()) {
            Segment s = e.getKey();
            Evaluation ev = e.getValue();
            Set<HealthMetric> alarms = EnumSet.noneOf(HealthMetric.class);
            Map<HealthMetric, String> explained = new EnumMap<>(HealthMetric.class);
            Set<HealthMetric> before = w.alarms.getOrDefault(s, Set.of());
            for (HealthMetric m : ev.crossed) {
                Segment cause = explanation(w, window, s, m, ev, evals);
                if (cause == null) {
                    alarms.add(m);
                } else {
                    explained.put(m, cause.toString());
                }
            }
            // hysteresis: an alarm recovers only clearly below its level, so a metric hovering at it does not flap
            for (HealthMetric m : before) {
                if (!alarms.contains(m) && !explained.containsKey(m) && !ev.clearlyBelow(m)) {
                    alarms.add(m);
                }
            }
            for (HealthMetric m : HealthMetric.values()) {
                boolean now1 = alarms.contains(m);
                if (now1 != before.contains(m)) {
                    changes.add(new HealthChange(feature, s, m, now1, ev.value(m), ev.level(m), ev.referenceValue(m),
                            ev.window.n, ev.reference.n, windowStart, now, detail(s, m, ev, now1)));
                }
            }
            w.alarms.put(s, alarms);
            latest.put(s, new SegmentHealth(feature, s, ev.window.n, ev.reference.n, ev.rates(false), ev.rates(true),
                    ev.psi, ev.psiLevel, ev.ks, ev.ksLevel, alarms, explained));
        }
        // segments that left the window recover
        for (Map.Entry<Segment, Set<HealthMetric>> e : w.alarms.entrySet()) {
            if (!evals.containsKey(e.getKey())) {
                for (HealthMetric m : e.getValue()) {
                    changes.add(new HealthChange(feature, e.getKey(), m, false, 0, 0, 0, 0, 0, windowStart, now,
                            e.getKey() + ": no observations left in the window"));
                }
                e.setValue(Set.of());
            }
        }
        w.latest.clear();
        w.latest.putAll(latest);
        return changes;
    }

    private Segment explanation(FeatureWindow w, List<Observation> window, Segment s, HealthMetric m, Evaluation ev,
            Map<Segment, Evaluation> evals) {
        List<Map.Entry<Segment, Evaluation>> candidates = new ArrayList<>();
        for (Map.Entry<Segment, Evaluation> e : evals.entrySet()) {
            Segment t = e.getKey();
            if (!t.all() && !t.attribute().equals(s.attribute()) && e.getValue().crossed.contains(m)
                    && e.getValue().severity(m) > ev.severity(m)) {
                candidates.add(e);
            }
        }
        candidates.sort((a, b) -> Double.compare(b.getValue().severity(m), a.getValue().severity(m)));
        for (Map.Entry<Segment, Evaluation> c : candidates) {
            Segment t = c.getKey();
            Stats rest = collectOne(w, window, s, t);
            Stats restRef = collectOne(w, w.reference, s, t);
            if (!evaluate(w, rest, restRef).crossed.contains(m)) {
                return t;
            }
        }
        return null;
    }

    private static String detail(Segment s, HealthMetric m, Evaluation ev, boolean alarm) {
        return String.format(java.util.Locale.ROOT, "%s %s %s: %.4f vs level %.4f (reference %.4f; n=%d, m=%d)",
                s, m, alarm ? "ALARM" : "recovered", ev.value(m), ev.level(m), ev.referenceValue(m), ev.window.n,
                ev.reference.n);
    }

    /** Counts and values of one segment. */
    private static final class Stats {
        long n;
        final long[] rateCounts = new long[RATES.length];
        double[] values = new double[16];
        int valueCount;

        void add(Observation o) {
            n++;
            for (int i = 0; i < RATE_FLAGS.length; i++) {
                if (o.is(RATE_FLAGS[i])) {
                    rateCounts[i]++;
                }
            }
            if (o.is(Observation.HAS_VALUE)) {
                if (valueCount == values.length) {
                    values = Arrays.copyOf(values, values.length * 2);
                }
                values[valueCount++] = o.value();
            }
        }

        double[] values() {
            return Arrays.copyOf(values, valueCount);
        }
    }

    private static Map<Segment, Stats> collect(FeatureWindow w, List<Observation> observations) {
        Map<Segment, Stats> out = new LinkedHashMap<>();
        for (Observation o : observations) {
            out.computeIfAbsent(Segment.ALL, k -> new Stats()).add(o);
            for (int i = 0; i < Segment.ATTRIBUTES.size(); i++) {
                String v = o.attributes()[i];
                if (v != null) {
                    out.computeIfAbsent(new Segment(Segment.ATTRIBUTES.get(i), v), k -> new Stats()).add(o);
                }
            }
        }
        return out;
    }

    private static Stats collectOne(FeatureWindow w, List<Observation> observations, Segment in, Segment without) {
        Stats s = new Stats();
        for (Observation o : observations) {
            if (o.in(in) && !o.in(without)) {
                s.add(o);
            }
        }
        return s;
    }

    /** The metrics of one segment, window against reference, and which crossed their level. */
    private final class Evaluation {
        final Stats window;
        final Stats reference;
        double psi = Double.NaN;
        double psiLevel = Double.NaN;
        double ks = Double.NaN;
        double ksLevel = Double.NaN;
        final Set<HealthMetric> crossed = EnumSet.noneOf(HealthMetric.class);

        Evaluation(Stats window, Stats reference) {
            this.window = window;
            this.reference = reference;
        }

        double rate(Stats s, int i) {
            return s.n == 0 ? 0 : (double) s.rateCounts[i] / s.n;
        }

        Map<HealthMetric, Double> rates(boolean ofReference) {
            Map<HealthMetric, Double> m = new EnumMap<>(HealthMetric.class);
            for (int i = 0; i < RATES.length; i++) {
                m.put(RATES[i], rate(ofReference ? reference : window, i));
            }
            return m;
        }

        double value(HealthMetric m) {
            return switch (m) {
                case PSI -> psi;
                case KS -> ks;
                default -> rate(window, rateIndex(m));
            };
        }

        double referenceValue(HealthMetric m) {
            return m == HealthMetric.PSI || m == HealthMetric.KS ? 0 : rate(reference, rateIndex(m));
        }

        double level(HealthMetric m) {
            return switch (m) {
                case PSI -> psiLevel;
                case KS -> ksLevel;
                default -> DriftStatistics.referenceRate(reference.rateCounts[rateIndex(m)], reference.n)
                        + settings.rateFloor();
            };
        }

        /** Below 90% of the level (drift), or below the reference rate plus half the floor (rates). */
        boolean clearlyBelow(HealthMetric m) {
            double v = value(m);
            if (Double.isNaN(v)) {
                return true;
            }
            return switch (m) {
                case PSI, KS -> v < 0.9 * level(m);
                default -> v < level(m) - settings.rateFloor() / 2;
            };
        }

        double severity(HealthMetric m) {
            return value(m) - referenceValue(m);
        }
    }

    private static int rateIndex(HealthMetric m) {
        for (int i = 0; i < RATES.length; i++) {
            if (RATES[i] == m) {
                return i;
            }
        }
        throw new IllegalArgumentException(m.name());
    }

    private Evaluation evaluate(FeatureWindow w, Stats win, Stats ref) {
        Evaluation ev = new Evaluation(win, ref);
        int min = settings.minWindowCount();
        if (win.n >= min && ref.n >= min) {
            for (int i = 0; i < RATES.length; i++) {
                if (DriftStatistics.rateAlarm(win.rateCounts[i], win.n, ref.rateCounts[i], ref.n, settings.alpha(),
                        settings.rateFloor())) {
                    ev.crossed.add(RATES[i]);
                }
            }
        }
        if (win.valueCount >= min && ref.valueCount >= min) {
            long[] wc = binCounts(w, win);
            long[] rc = binCounts(w, ref);
            // the chi-square approximation behind the PSI level needs about 10 expected observations per bin on
            // both sides (Cochran's rule asks 5; the smoothing of sparse bins fattens the tail, so twice that)
            if (wc != null && win.valueCount >= 10L * wc.length && ref.valueCount >= 10L * wc.length) {
                ev.psi = DriftStatistics.psi(rc, wc);
                ev.psiLevel = DriftStatistics.psiAlarmLevel(wc.length, win.valueCount, ref.valueCount,
                        settings.alpha(), settings.psiFloor());
                if (ev.psi > ev.psiLevel) {
                    ev.crossed.add(HealthMetric.PSI);
                }
            }
            if (w.contract.type().numeric()) {
                ev.ks = DriftStatistics.ksStatistic(win.values(), ref.values());
                ev.ksLevel = Math.max(settings.ksFloor(),
                        DriftStatistics.ksCriticalValue(win.valueCount, ref.valueCount, settings.alpha()));
                if (ev.ks > ev.ksLevel) {
                    ev.crossed.add(HealthMetric.KS);
                }
            }
        }
        return ev;
    }

    /** Bin counts: quantile bins of the reference for numbers, one bin per level (plus "other") for categories. */
    private static long[] binCounts(FeatureWindow w, Stats s) {
        long[] counts;
        if (w.edges != null) {
            counts = new long[w.edges.length + 1];
            for (int i = 0; i < s.valueCount; i++) {
                counts[bin(w.edges, s.values[i])]++;
            }
            return counts;
        }
        int levels = switch (w.contract.type()) {
            case BOOL -> 2;
            case ENUM -> w.contract.allowedValues().size() + 1;
            default -> 0;
        };
        if (levels == 0) {
            return null;
        }
        counts = new long[levels];
        for (int i = 0; i < s.valueCount; i++) {
            int level = (int) s.values[i];
            counts[level >= 0 && level < levels ? level : levels - 1]++;
        }
        return counts;
    }

    /** Bins are (-inf, e0], (e0, e1], ..., (e_last, +inf). */
    static int bin(double[] edges, double v) {
        int i = Arrays.binarySearch(edges, v);
        return i >= 0 ? i : -i - 1;
    }

    /** Distinct deciles of the reference values (fewer bins when values repeat, e.g. a count that is mostly 0). */
    static double[] quantileEdges(List<Observation> reference) {
        double[] v = reference.stream().filter(o -> o.is(Observation.HAS_VALUE)).mapToDouble(Observation::value)
                .sorted().toArray();
        if (v.length == 0) {
            return new double[0];
        }
        double[] edges = new double[PSI_QUANTILE_BINS - 1];
        int k = 0;
        for (int q = 1; q < PSI_QUANTILE_BINS; q++) {
            double e = v[Math.min(v.length - 1, (int) Math.floor((double) q * v.length / PSI_QUANTILE_BINS))];
            if (k == 0 || e > edges[k - 1]) {
                edges[k++] = e;
            }
        }
        // the largest value needs no upper edge
        if (k > 0 && edges[k - 1] >= v[v.length - 1]) {
            k--;
        }
        return Arrays.copyOf(edges, k);
    }
}
