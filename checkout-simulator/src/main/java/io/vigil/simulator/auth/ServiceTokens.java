package io.vigil.simulator.auth;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.vigil.simulator.scenario.Scenario;
import io.vigil.simulator.scenario.ScenarioChange;

/**
 * The bearer tokens the simulator's REST calls carry: the operator's for scoring-service's model endpoints (a
 * scenario's challenger), the producer's for feature-service's {@code POST /features/batch}. The services take the
 * audit actor from the token's subject ({@code ./bin/vigil token ... --sub checkout-simulator}).
 *
 * <p>A token is a credential: {@link #toString()} says only whether each one is set, so a config or an error message
 * that prints this record never shows one.
 *
 * @param operator a token with role operator (or admin), or null
 * @param producer a token with role producer, or null
 */
public record ServiceTokens(String operator, String producer) {

    public static final String OPERATOR_ENV = "VIGIL_OPERATOR_TOKEN";
    public static final String PRODUCER_ENV = "VIGIL_PRODUCER_TOKEN";

    public ServiceTokens {
        operator = normalise(operator);
        producer = normalise(producer);
    }

    /** The options when given, else the environment ({@value #OPERATOR_ENV}, {@value #PRODUCER_ENV}). */
    public static ServiceTokens resolve(String operatorOption, String producerOption, Map<String, String> env) {
        return new ServiceTokens(normalise(operatorOption) != null ? operatorOption : env.get(OPERATOR_ENV),
                normalise(producerOption) != null ? producerOption : env.get(PRODUCER_ENV));
    }

    /**
     * The one-line refusal when a token that {@code scenario}'s run needs is missing, or empty: every run seeds
     * features (producer); a scenario with a challenger acts on scoring's models (operator).
     */
    public Optional<String> missingFor(Scenario scenario) {
        if (producer == null) {
            return Optional.of("no producer token: feature seeding (POST /features/batch on feature-service) needs a "
                    + "token with role producer; set " + PRODUCER_ENV
                    + " (./bin/vigil token --role producer --sub checkout-simulator); nothing was sent");
        }
        if (operator == null) {
            for (ScenarioChange c : scenario.changes()) {
                if (c.challenger() != null) {
                    return Optional.of("no operator token: scenario " + scenario.name() + " sets a challenger (line "
                            + c.line() + ") on scoring-service's /models, which needs a token with role operator; set "
                            + OPERATOR_ENV + " (./bin/vigil token --role operator --sub checkout-simulator); "
                            + "nothing was sent");
                }
            }
        }
        return Optional.empty();
    }

    /** {@code Authorization} header value for scoring's model endpoints. */
    public String operatorAuthorization() {
        return authorization(operator, "operator");
    }

    /** {@code Authorization} header value for feature batches. */
    public String producerAuthorization() {
        return authorization(producer, "producer");
    }

    @Override
    public String toString() {
        return "ServiceTokens[operator=" + (operator == null ? "none" : "set") + ", producer="
                + (producer == null ? "none" : "set") + "]";
    }

    private static String authorization(String token, String role) {
        if (token == null) {
            throw new IllegalStateException("no " + role + " token");
        }
        return "Bearer " + token;
    }

    /** Blank is none; a value pasted with its {@code Bearer } prefix is the token after it. */
    private static String normalise(String token) {
        if (token == null) {
            return null;
        }
        String t = token.strip();
        if (t.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            t = t.substring("bearer ".length()).strip();
        }
        return t.isEmpty() ? null : t;
    }
}
