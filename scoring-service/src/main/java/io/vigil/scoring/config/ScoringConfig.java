package io.vigil.scoring.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything scoring-service can be tuned with, under {@code scoring.*}. */
@ConfigMapping(prefix = "scoring")
public interface ScoringConfig {

    Budget budget();

    Features features();

    Fallback fallback();

    Routing routing();

    Reasons reasons();

    WarmUp warmUp();

    Decisions decisions();

    Models models();

    Policies policies();

    /** The coverage (insufficient-data) rule of every cohort whose policy does not set its own. */
    CoverageDefaults coverage();

    interface Budget {
        /** Total time a Score call may take inside the service; a caller's gRPC deadline shortens it, never lengthens it. */
        @WithDefault("50ms")
        Duration total();

        /** Share of the remaining budget the feature-service call may use (its gRPC deadline), 0..1. */
        @WithDefault("0.6")
        double featureShare();

        /** Below this remaining budget the model is not even tried: the fallback rule answers with cause DEADLINE. */
        @WithDefault("1ms")
        Duration minimum();

        /** Score calls in flight at once; beyond it calls get the fallback with cause OVERLOAD (a bulkhead without a queue). */
        @WithDefault("256")
        int maxInFlight();
    }

    interface Features {
        /** feature-service gRPC host. */
        @WithDefault("127.0.0.1")
        String host();

        /** feature-service gRPC port (its HTTP port: gRPC shares it). */
        @WithDefault("8082")
        int port();

        /** Feature set and version the models were trained on, as GetFeaturesRequest.feature_set_version. */
        @WithDefault("checkout-features@1")
        String featureSetVersion();

        /**
         * Circuit breaker on the feature call: size of its rolling window of calls. At 1,000 calls a second a window of
         * 20 is 20 ms of traffic, so one scheduler hiccup would open it; 200 needs a fifth of a second of failures.
         */
        @WithDefault("200")
        int breakerRequestVolume();

        /** Circuit breaker: failure ratio in the window that opens it. */
        @WithDefault("0.5")
        double breakerFailureRatio();

        /** Circuit breaker: how long it stays open before letting a trial call through. */
        @WithDefault("1s")
        Duration breakerDelay();
    }

    interface Fallback {
        /** USD amount at or above which the fallback rule steps up instead of approving. */
        @WithDefault("500")
        double stepUpAmountUsd();
    }

    /** What the service does before readiness turns UP (ScoringWarmUp). */
    interface WarmUp {
        /** Score calls the service sends itself over its gRPC port; 0 turns the calls off. */
        @WithDefault("1500")
        int calls();

        /** Of those, in flight at once. */
        @WithDefault("8")
        int concurrency();

        /** Runs of every line-up model, score and explanation, on varied inputs. */
        @WithDefault("5000")
        int modelRuns();

        /** The warm-up never holds readiness longer than this. */
        @WithDefault("20s")
        Duration maxDuration();

        /**
         * After the calls, further rounds of calls (a third of {@link #calls()} each) while the JIT compilers used more
         * than this share of the last round's wall time (summed over compiler threads); 0 (the default) turns the rounds
         * off. Measured at 0.10 (scoring-service README, "Decision path speed"): scoring-service's compilers were still
         * at 69% after 20 s of self-calls, so readiness came 16 s later for no clear gain in the cold phase.
         */
        @WithDefault("0")
        double compilerQuietShare();
    }

    interface Reasons {
        /**
         * Explain approvals too. Reasons are owed where a customer is stepped up, reviewed or declined; an approval's
         * explanation (TreeSHAP, ~80 us on the default model, ~500 us on deep ones) is work nobody reads, so it is off
         * unless asked for.
         */
        @WithDefault("false")
        boolean onApprove();
    }

    interface Routing {
        /** Buckets of the account-id hash; a challenger share of p takes the buckets below p * buckets. */
        @WithDefault("10000")
        int buckets();
    }

    interface Decisions {
        /** Recent decisions kept in memory for idempotent replays before PostgreSQL is asked. */
        @WithDefault("100000")
        long cacheSize();

        /** How long a decision stays in the in-memory cache. */
        @WithDefault("1h")
        Duration cacheTtl();

        /**
         * Claims in a row that timed out or failed before PostgreSQL is taken as down: claims are then skipped (answers
         * flagged unverified, cause database_down) until a probe gets an answer.
         */
        @WithDefault("5")
        int claimFailuresToOpen();

        /** While PostgreSQL is taken as down: how often it is probed (SELECT 1), and how long a probe may take. */
        @WithDefault("500ms")
        Duration probeInterval();

        /** Decisions whose claim could not be checked, waiting to be written; beyond it one is dropped and counted. */
        @WithDefault("20000")
        int writeQueue();

        /** Decision events waiting for Kafka; beyond it events are dropped and counted (the checkout never waits). */
        @WithDefault("4096")
        int eventBuffer();
    }

    interface Models {
        /** Directory model files are registered from; a registration names a path under it. */
        @WithDefault("models")
        String dir();

        /** Model file (under dir) used as champion when the registry has none yet. */
        @WithDefault("default/model.json")
        String defaultModel();

        /** Version name given to the default model. */
        @WithDefault("default")
        String defaultVersion();

        /**
         * How often the line-up is re-read from the registry, to follow changes made through another instance: a change
         * is served by every instance within this interval (plus the time to load a new version's bytes).
         */
        @WithDefault("10s")
        Duration refresh();

        /** Largest model upload or registered file accepted, in bytes; a larger one is refused with 413. */
        @WithDefault("33554432")
        long maxUploadBytes();

        /** Shadows scored at once; activating one more is refused with 409 (each shadow costs CPU on every call). */
        @WithDefault("3")
        int maxShadows();

        /**
         * Estimated memory all models of the line-up may hold together (trees and explanation tables); an activation
         * over it is refused with 409. Only line-up models stay loaded: retired and merely registered ones are evicted.
         */
        @WithDefault("268435456")
        long maxLoadedBytes();
    }

    interface Policies {
        /** Cut-offs of the built-in default cohort, used until a policy is activated: step-up score. */
        @WithDefault("0.10")
        double defaultStepUp();

        /** Built-in default cohort: review score. */
        @WithDefault("0.30")
        double defaultReview();

        /** Built-in default cohort: decline score. */
        @WithDefault("0.60")
        double defaultDecline();

        /** How often the active policy is re-read, to follow activations made through another instance. */
        @WithDefault("10s")
        Duration refresh();
    }

    interface CoverageDefaults {
        /** Judge the deciding model's N most depended-on features (its total cover ranking). */
        @WithDefault("8")
        int keyFeatures();

        /** Above this share (0..1) of them missing or defaulted, the insufficient-data rule decides. */
        @WithDefault("0.4")
        double maxMissingShare();

        /** What the insufficient-data rule answers: STEP_UP, APPROVE or FALLBACK_RULE. */
        @WithDefault("STEP_UP")
        String decision();
    }
}
