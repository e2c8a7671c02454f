package io.vigil.features.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vigil.contracts.events.v1.FeatureHealthChanged;
import io.vigil.contracts.events.v1.FeatureHealthState;
import io.vigil.contracts.events.v1.FeatureSegment;
import io.vigil.eventing.CloudEventMessages;
import io.vigil.eventing.ProtoTime;
import io.vigil.features.config.FeaturesConfig;
import io.vigil.features.contract.EntityKind;
import io.vigil.features.contract.FeatureContracts;
import io.vigil.features.contract.FeatureContract;
import io.vigil.features.contract.FeatureType;
import io.vigil.features.contract.Verdict;
import io.vigil.features.ingest.FeatureStore;
import io.vigil.features.ingest.FeatureUpdate;
import io.vigil.features.ingest.Judged;

/**
 * Feeds every applied value into the {@link HealthEngine}, with its segment attributes (from the update, else from the
 * update's own fields, else from the account's stored values), evaluates features that are due, and publishes each
 * alarm and recovery on vigil.feature-health.v1 and as Prometheus gauges.
 */
@ApplicationScoped
public class FeatureHealthMonitor {

    private static final String SERVICE = "feature-service";
    /** Account features that are also cohort attributes, in {@link Segment#ATTRIBUTES} order (channel is not stored). */
    private static final List<String> STORED_ATTRIBUTES = List.of("country", "region", "customer_age_band",
            "login_method");

    private final HealthEngine engine;
    private final FeatureStore store;
    private final FeatureContracts contracts;
    private final String ingestFeatureSet;
    private final Emitter<byte[]> events;
    private final MeterRegistry registry;
    private final Map<String, double[]> gauges = new ConcurrentHashMap<>();

    FeatureHealthMonitor(FeaturesConfig config, FeatureStore store, FeatureContracts contracts,
            @Channel("feature-health") Emitter<byte[]> events, MeterRegistry registry) {
        FeaturesConfig.Health h = config.health();
        this.engine = new HealthEngine(new HealthEngine.Settings(h.bucket(), h.buckets(), h.minReferenceCount(),
                h.minWindowCount(), h.evaluateEvery(), h.evaluationInterval(), h.samplesPerBucket(), h.psiFloor(),
                h.alpha(), h.ksFloor(), h.rateFloor()), 0x5EEDL);
        this.store = store;
        this.contracts = contracts;
        this.ingestFeatureSet = config.ingest().featureSet();
        this.events = events;
        this.registry = registry;
    }

    public HealthEngine engine() {
        return engine;
    }

    public Uni<Void> observe(List<Judged> applied, Instant now) {
        Set<String> lookup = new HashSet<>();
        for (Judged j : applied) {
            FeatureUpdate u = j.update();
            if (u.entity() == EntityKind.ACCOUNT) {
                for (String a : STORED_ATTRIBUTES) {
                    if (!u.attributes().containsKey(a) && !(u.fields().get(a) instanceof String)) {
                        lookup.add(u.entityId());
                        break;
                    }
                }
            }
        }
        return store.values(EntityKind.ACCOUNT, lookup, STORED_ATTRIBUTES)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(stored -> {
                    // The levels of the contract in force now: a new version may declare more.
                    SegmentLevels levels = SegmentLevels.of(contracts.latest(ingestFeatureSet).orElse(null));
                    for (Judged j : applied) {
                        String[] attrs = attributes(j.update(), stored.getOrDefault(j.update().entityId(), Map.of()),
                                levels);
                        Instant eventTime = j.update().eventTime();
                        for (Judged.Value v : j.values()) {
                            engine.observe(v.contract(), observation(v, attrs, eventTime, now), eventTime, now);
                        }
                    }
                    return evaluateDue(now);
                })
                .invoke(this::publish)
                .replaceWithVoid();
    }

    List<HealthChange> evaluateDue(Instant now) {
        return evaluate(engine.due(now), now);
    }

    private List<HealthChange> evaluate(List<String> features, Instant now) {
        List<HealthChange> changes = new ArrayList<>();
        for (String feature : features) {
            changes.addAll(engine.evaluate(feature, now));
            for (SegmentHealth h : engine.snapshot(feature, null)) {
                gauge(h, "psi", h.psi());
                gauge(h, "ks", h.ks());
                h.rates().forEach((m, v) -> gauge(h, m.name().toLowerCase(java.util.Locale.ROOT), v));
                gauge(h, "alarms", h.alarms().size());
            }
        }
        return changes;
    }

    private void gauge(SegmentHealth h, String metric, double value) {
        String key = h.feature() + '|' + h.segment() + '|' + metric;
        double[] holder = gauges.computeIfAbsent(key, k -> {
            double[] cell = new double[1];
            Gauge.builder("vigil.feature.health", cell, c -> c[0])
                    .description("Feature health per feature and segment: rates, PSI, KS D, alarms in force")
                    .tags("feature", h.feature(), "segment", h.segment().toString(), "metric", metric)
                    .register(registry);
            return cell;
        });
        holder[0] = value;
    }

    private void publish(List<HealthChange> changes) {
        for (HealthChange c : changes) {
            FeatureHealthChanged event = FeatureHealthChanged.newBuilder()
                    .setFeature(c.feature())
                    .setSegment(FeatureSegment.newBuilder().setAttribute(c.segment().attribute()).setValue(c.segment().value()))
                    .setMetric(c.metric().wire())
                    .setState(c.alarm() ? FeatureHealthState.FEATURE_HEALTH_STATE_ALARM
                            : FeatureHealthState.FEATURE_HEALTH_STATE_RECOVERED)
                    .setValue(finite(c.value()))
                    .setAlarmLevel(finite(c.alarmLevel()))
                    .setReferenceValue(finite(c.referenceValue()))
                    .setWindowCount(c.windowCount())
                    .setReferenceCount(c.referenceCount())
                    .setWindowStart(ProtoTime.of(c.windowStart()))
                    .setWindowEnd(ProtoTime.of(c.windowEnd()))
                    .setDetectedAt(ProtoTime.of(c.windowEnd()))
                    .setDetail(c.detail())
                    .build();
            events.send(CloudEventMessages.of(SERVICE, c.feature() + "|" + c.segment(), event, c.windowEnd()));
        }
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    /** Segment attributes of an update, each folded into the contract's levels (free-form values become "other"). */
    static String[] attributes(FeatureUpdate u, Map<String, String> stored, SegmentLevels levels) {
        String[] attrs = new String[Segment.ATTRIBUTES.size()];
        for (int i = 0; i < attrs.length; i++) {
            String name = Segment.ATTRIBUTES.get(i);
            String v = u.attributes().get(name);
            if (v == null && u.fields().get(name) instanceof String s && !s.isEmpty()) {
                v = s;
            }
            if (v == null) {
                v = stored.get(name);
            }
            attrs[i] = v == null || v.isEmpty() ? null : levels.fold(i, v);
        }
        return attrs;
    }

    static Observation observation(Judged.Value v, String[] attrs, Instant eventTime, Instant now) {
        FeatureContract c = v.contract();
        Verdict verdict = v.verdict();
        int flags = 0;
        if (v.raw() == null) {
            flags |= Observation.NULL;
        }
        if (verdict.reason() == Verdict.Reason.SENTINEL) {
            flags |= Observation.DEFAULT;
        }
        if (verdict.outcome() == Verdict.Outcome.REJECT && verdict.reason() != Verdict.Reason.NULL_NOT_ALLOWED) {
            flags |= Observation.OUT_OF_RANGE;
        }
        if (eventTime.plus(c.freshness()).isBefore(now)) {
            flags |= Observation.STALE;
        }
        double value = 0;
        Object canonical = verdict.value();
        if (verdict.stored() && canonical != null && c.type() != FeatureType.STRING) {
            flags |= Observation.HAS_VALUE;
            if (canonical instanceof Number n) {
                value = n.doubleValue();
            } else if (canonical instanceof Boolean b) {
                value = b ? 1 : 0;
            } else {
                int level = c.allowedValues().indexOf(canonical);
                value = level >= 0 ? level : c.allowedValues().size();
            }
        }
        return new Observation(attrs, flags, value);
    }

    /** Health of the features and segments matching the filters (null: all), as of their last evaluation. */
    public List<SegmentHealth> health(String feature, Segment segment) {
        return engine.snapshot(feature, segment);
    }

    /**
     * Re-baselines one feature (or every feature, {@code feature} null) for a segment or the whole population, and
     * publishes the recovery of every alarm that clears.
     *
     * @return the features re-baselined (those health has seen) and the alarms recovered
     */
    public Rebaselined rebaseline(String feature, Segment segment, String why, Instant now) {
        List<String> scope = feature == null ? engine.featureNames()
                : engine.featureNames().contains(feature) ? List.of(feature) : List.of();
        List<HealthChange> recovered = new ArrayList<>();
        for (String f : scope) {
            recovered.addAll(engine.rebaseline(f, segment, now, why));
        }
        // An alert on the alarms gauge must clear with the alarm, not wait for the segment's next evaluation.
        for (HealthChange c : recovered) {
            double[] holder = gauges.get(c.feature() + '|' + c.segment() + "|alarms");
            if (holder != null) {
                holder[0] = 0;
            }
        }
        publish(recovered);
        return new Rebaselined(scope, recovered);
    }

    /** What a re-baseline reset. */
    public record Rebaselined(List<String> features, List<HealthChange> recovered) {
    }

    /** Evaluates every feature now, whatever its count of new observations (operators; tests). */
    public Uni<List<HealthChange>> evaluateAll(Instant now) {
        return Uni.createFrom().item(() -> evaluate(engine.featureNames(), now)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).invoke(this::publish);
    }
}
