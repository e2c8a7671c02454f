package io.vigil.features.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** feature-service configuration, prefix {@code features}. */
@ConfigMapping(prefix = "features")
public interface FeaturesConfig {

    Contracts contracts();

    Ingest ingest();

    Serving serving();

    WarmUp warmUp();

    Health health();

    interface Contracts {
        /** Contract files shipped on the classpath under {@code feature-contracts/} (a copy of contracts/features). */
        @WithDefault("checkout-features-v1.yaml")
        List<String> files();

        /** An extra directory of contract files read at start (e.g. a mounted ConfigMap); none by default. */
        Optional<String> directory();
    }

    interface Ingest {
        /** The feature set whose latest version judges incoming values. */
        @WithDefault("checkout-features")
        String featureSet();

        /** Most updates one REST batch may carry. */
        @WithDefault("1000")
        int maxBatchSize();

        /**
         * How far in the future an event time may lie (producer clock skew). Later ones are refused: since newer
         * event times win, one far-future value would otherwise pin a feature forever.
         */
        @WithDefault("PT5M")
        Duration maxClockSkew();

        /** Kafka ingest: retries of a failed database write before the record is given up (and counted). */
        @WithDefault("5")
        int maxRetries();
    }

    /** What the service does before readiness turns UP (ServingWarmUp). */
    interface WarmUp {
        /** GetFeatures calls the service sends itself over its gRPC port, for entities nobody stored; 0: none. */
        @WithDefault("1000")
        int calls();

        /** Of those, in flight at once. */
        @WithDefault("8")
        int concurrency();

        /** The warm-up never holds readiness longer than this. */
        @WithDefault("20s")
        Duration maxDuration();

        /**
         * After the calls, further rounds (a third of {@link #calls()} each) while the JIT compilers used more than
         * this share of the last round's wall time (summed over compiler threads); 0 (the default) turns the rounds
         * off. Measured at 0.10 (scoring-service README, "Decision path speed"): scoring-service's compilers were still
         * at 69% after 20 s of self-calls, so readiness came 16 s later for no clear gain in the cold phase.
         */
        @WithDefault("0")
        double compilerQuietShare();
    }

    interface Serving {
        /** The feature set version a GetFeatures request without feature_set_version is answered in. */
        @WithDefault("checkout-features@1")
        String defaultFeatureSet();

        /** Most entities held in the serving cache; the least recently used go first. */
        @WithDefault("200000")
        long cacheMaxEntities();

        /**
         * How long a cached entity may be served without re-reading PostgreSQL. Ingest on this instance invalidates
         * at once; the limit bounds staleness from writes by other instances.
         */
        @WithDefault("PT1M")
        Duration cacheTtl();
    }

    interface Health {
        /** Length of one bucket of the sliding window (by event time). */
        @WithDefault("PT5M")
        Duration bucket();

        /** Buckets in the sliding window; the window covers bucket x buckets. */
        @WithDefault("12")
        int buckets();

        /** Observations a (feature, segment) must have in the first window before it becomes the reference. */
        @WithDefault("200")
        int minReferenceCount();

        /** Observations a window needs before any alarm is raised on it. */
        @WithDefault("30")
        int minWindowCount();

        /** New observations between two evaluations of a (feature, segment). */
        @WithDefault("25")
        int evaluateEvery();

        /**
         * Least time between two evaluations of a feature, so a busy stream costs a bounded amount of CPU whatever its
         * rate (evaluate-every alone would evaluate hundreds of times a second).
         */
        @WithDefault("PT10S")
        Duration evaluationInterval();

        /** Numeric values kept per bucket for PSI and KS (a uniform reservoir sample beyond that). */
        @WithDefault("512")
        int samplesPerBucket();

        /** PSI alarm floor: PSI must exceed it whatever the sample size. */
        @WithDefault("0.25")
        double psiFloor();

        /**
         * Significance level of the sample-size-aware PSI, KS and rate alarms (per evaluation): PSI must also exceed
         * chi2(1 - alpha; k - 1) x (n + m) / (n m), KS must have p below it, a rate's binomial p must be below it.
         */
        @WithDefault("0.001")
        double alpha();

        /** KS alarm floor on the statistic D, so a huge window does not alarm on a negligible shift. */
        @WithDefault("0.1")
        double ksFloor();

        /** Rate alarms (default, null, out-of-range, stale) need the rate at least this far above the reference. */
        @WithDefault("0.05")
        double rateFloor();

        /**
         * How often each instance applies re-baselines made through another instance (read from the audit table), so
         * every replica's health follows an operator's re-baseline.
         */
        @WithDefault("PT10S")
        Duration rebaselineRefresh();
    }
}
