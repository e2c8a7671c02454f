package io.vigil.guardrail.rollout.scoring;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vigil.guardrail.rollout.config.ScoringClientConfig;

/**
 * Drives scoring-service's line-up. A change is one {@code PUT /lineup} (models and policy together, atomic there), so
 * this service can never leave a half-applied line-up; applying the same line-up twice changes nothing the second time.
 * Failures other than a refusal (4xx) are retried with exponential backoff; a restore is retried until it is applied,
 * each failure counted ({@code vigil_guardrail_scoring_failures_total}) and logged at WARN, which is the alert.
 */
@ApplicationScoped
public class ScoringLineups {

    private static final Logger LOG = Logger.getLogger(ScoringLineups.class);

    private final ScoringApi api;
    private final ScoringClientConfig config;
    private final Counter failures;

    ScoringLineups(@RestClient ScoringApi api, ScoringClientConfig config, MeterRegistry registry) {
        this.api = api;
        this.config = config;
        this.failures = Counter.builder("vigil.guardrail.scoring.failures")
                .description("calls to scoring-service that failed (unreachable or 5xx) and were retried")
                .register(registry);
    }

    private String bearer() {
        return config.token().map(t -> "Bearer " + t).orElse(null);
    }

    /** The line-up served now. */
    public Uni<Lineup> current() {
        return retried(Uni.createFrom().deferred(() -> api.lineup(bearer())), "read the line-up", config.attempts());
    }

    /** Applies a line-up change with the operator-call budget of attempts. */
    public Uni<Lineup> apply(LineupChange change) {
        return retried(Uni.createFrom().deferred(() -> api.change(bearer(), change)), "change the line-up",
                config.attempts());
    }

    /** Applies a restore, retrying until scoring-service takes it (a refusal still fails: a person must look). */
    public Uni<Lineup> applyUntilDone(LineupChange change) {
        return retried(Uni.createFrom().deferred(() -> api.change(bearer(), change)), "restore the line-up",
                Integer.MAX_VALUE);
    }

    /** Whether scoring-service's registry has the model version. */
    public Uni<Boolean> modelRegistered(String version) {
        return exists(Uni.createFrom().deferred(() -> api.model(bearer(), version)), "look up model " + version);
    }

    /** Whether scoring-service has the policy version. */
    public Uni<Boolean> policyExists(String version) {
        return exists(Uni.createFrom().deferred(() -> api.policy(bearer(), version)), "look up policy " + version);
    }

    private Uni<Boolean> exists(Uni<Response> call, String what) {
        // The client raises a WebApplicationException for a 404 even when it returns the Response: that is "no".
        return retried(call.onFailure(e -> e instanceof WebApplicationException w && w.getResponse() != null
                && w.getResponse().getStatus() == 404).recoverWithItem(() -> Response.status(404).build()).map(r -> {
            try {
                if (r.getStatus() == 200) {
                    return true;
                }
                if (r.getStatus() == 404) {
                    return false;
                }
                throw new WebApplicationException(r.getStatus());
            } finally {
                r.close();
            }
        }), what, config.attempts());
    }

    private <T> Uni<T> retried(Uni<T> call, String what, int attempts) {
        Duration initial = config.initialBackoff();
        Duration max = config.maxBackoff();
        return call
                .onFailure(this::refusal).transform(e -> {
                    WebApplicationException w = (WebApplicationException) e;
                    return new LineupRefusedException(w.getResponse().getStatus(), detail(w.getResponse()));
                })
                .onFailure(e -> !(e instanceof LineupRefusedException)).invoke(e -> {
                    failures.increment();
                    LOG.warnf("scoring-service: could not %s (%s); retrying", what, e.toString());
                })
                .onFailure(e -> !(e instanceof LineupRefusedException)).retry().withBackOff(initial, max)
                .atMost(attempts == Integer.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, attempts - 1))
                .onFailure(e -> !(e instanceof LineupRefusedException))
                .transform(e -> new ScoringUnavailableException("scoring-service: could not " + what + ": "
                        + e.getMessage(), e));
    }

    private boolean refusal(Throwable e) {
        return e instanceof WebApplicationException w && w.getResponse() != null
                && w.getResponse().getStatus() >= 400 && w.getResponse().getStatus() < 500;
    }

    private static String detail(Response r) {
        try {
            r.bufferEntity();
            String body = r.readEntity(String.class);
            int at = body.indexOf("\"detail\"");
            if (at >= 0) {
                int start = body.indexOf('"', body.indexOf(':', at) + 1) + 1;
                int end = body.indexOf('"', start);
                if (start > 0 && end > start) {
                    return body.substring(start, end);
                }
            }
            return body.length() > 300 ? body.substring(0, 300) : body;
        } catch (RuntimeException e) {
            return "status " + r.getStatus();
        }
    }
}
