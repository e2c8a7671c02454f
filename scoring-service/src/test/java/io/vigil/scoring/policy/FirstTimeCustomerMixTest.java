package io.vigil.scoring.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.vigil.contracts.features.v1.GetFeaturesResponse;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.riskmodel.model.XGBoostJsonLoader;
import io.vigil.scoring.fallback.FallbackRule;
import io.vigil.scoring.features.FeatureDeriver;
import io.vigil.scoring.features.FeatureVector;
import io.vigil.scoring.model.ScoringModel;

/**
 * Issue #15, point 4: 1,000 first-time customers (every stored feature MISSING) through the code the service decides
 * with (FeatureDeriver, the default model, the built-in policy's cut-offs and its coverage rule, as configured by
 * default). Prints the decision mix the model alone would give and what the policy now answers.
 */
class FirstTimeCustomerMixTest {

    @Test
    void shouldNeverDeclineAFirstTimeCustomerOnTheModelsWord() throws Exception {
        ScoringModel model = new ScoringModel("default",
                new XGBoostJsonLoader().load(Path.of("../models/default/model.json")));
        // The built-in policy with the defaults of scoring.policies.* and scoring.coverage.*.
        CohortRule builtIn = new CohortRule("default", null, null, null, null, null, 0.10, 0.30, 0.60,
                new Coverage(8, null, 0.4, "STEP_UP"));
        ThresholdPolicy policy = ThresholdPolicy.of("built-in", List.of(builtIn));
        CoverageRule coverage = new CoverageRule(new Coverage(8, null, 0.4, "STEP_UP"), new FallbackRule(500));
        FeatureDeriver deriver = new FeatureDeriver();
        Map<String, Integer> modelAlone = new TreeMap<>();
        Map<String, Integer> answered = new TreeMap<>();
        for (ScoreRequest r : FirstTimeCustomers.requests(15, 1000)) {
            FeatureVector v = deriver.fromRequest(r, 0);
            deriver.applyStored(v, GetFeaturesResponse.getDefaultInstance(), r);
            double score = model.score(v.values());
            modelAlone.merge(ThresholdPolicy.decide(builtIn, score).name(), 1, Integer::sum);
            CoverageVerdict verdict = coverage.judge(policy, builtIn, model, v);
            String outcome = verdict.insufficient() ? verdict.decision().name() + " (INSUFFICIENT_DATA)"
                    : ThresholdPolicy.decide(builtIn, score).name() + " (model)";
            answered.merge(outcome, 1, Integer::sum);
        }
        System.out.println("first-time customers, model alone: " + modelAlone);
        System.out.println("first-time customers, answered:    " + answered);
        assertEquals(1000, answered.getOrDefault(Decision.DECISION_STEP_UP.name() + " (INSUFFICIENT_DATA)", 0),
                "every first-time customer lacks more than 40% of the model's key features: " + answered);
        assertTrue(answered.keySet().stream().noneMatch(k -> k.startsWith("DECISION_DECLINE")));
    }
}
