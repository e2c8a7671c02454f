package io.vigil.scoring.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vigil.contracts.features.v1.FeatureStatus;
import io.vigil.contracts.features.v1.FeatureValue;
import io.vigil.contracts.features.v1.GetFeaturesResponse;
import io.vigil.contracts.features.v1.ServedFeature;
import io.vigil.contracts.scoring.v1.Channel;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.contracts.scoring.v1.Money;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.riskmodel.model.XGBoostJsonLoader;
import io.vigil.scoring.fallback.FallbackRule;
import io.vigil.scoring.features.FeatureDeriver;
import io.vigil.scoring.features.FeatureVector;
import io.vigil.scoring.model.ScoringModel;

class CoverageRuleTest {

    /** The test model's total cover ranks, by hand: amount (root of both trees), then prior_orders, then channel. */
    static final ScoringModel MODEL = new ScoringModel("key", new XGBoostJsonLoader().parse(("""
            {"version":[3,0,4],"learner":{"attributes":{},"feature_names":["amount","prior_orders","channel"],
             "feature_types":[],"learner_model_param":{"base_score":"5E-1","boost_from_average":"1","num_class":"0",
             "num_feature":"3","num_target":"1"},"objective":{"name":"binary:logistic"},
             "gradient_booster":{"name":"gbtree","model":{"gbtree_model_param":{"num_parallel_tree":"1","num_trees":"2"},
              "iteration_indptr":[0,1,2],"tree_info":[0,0],"trees":[
               {"id":0,"tree_param":{"num_deleted":"0","num_feature":"3","num_nodes":"5","size_leaf_vector":"1"},
                "left_children":[1,-1,3,-1,-1],"right_children":[2,-1,4,-1,-1],"split_indices":[0,0,1,0,0],
                "split_conditions":[100,-1,2,0.5,1],"default_left":[1,0,0,0,0],"split_type":[0,0,0,0,0],
                "sum_hessian":[100,30,70,50,20],"base_weights":[0,0,0,0,0],"loss_changes":[0,0,0,0,0],
                "parents":[2147483647,0,0,2,2],"categories":[],"categories_nodes":[],"categories_segments":[],"categories_sizes":[]},
               {"id":1,"tree_param":{"num_deleted":"0","num_feature":"3","num_nodes":"5","size_leaf_vector":"1"},
                "left_children":[1,-1,3,-1,-1],"right_children":[2,-1,4,-1,-1],"split_indices":[0,0,2,0,0],
                "split_conditions":[50,-1,1,0.5,1],"default_left":[1,0,0,0,0],"split_type":[0,0,0,0,0],
                "sum_hessian":[100,40,60,30,30],"base_weights":[0,0,0,0,0],"loss_changes":[0,0,0,0,0],
                "parents":[2147483647,0,0,2,2],"categories":[],"categories_nodes":[],"categories_segments":[],"categories_sizes":[]}
              ]}}}}""").getBytes()));

    static final Coverage SERVICE = new Coverage(2, null, 0.4, "STEP_UP");
    final CoverageRule rule = new CoverageRule(SERVICE, new FallbackRule(500));
    final FeatureDeriver deriver = new FeatureDeriver();

    static ScoreRequest request(long amountCents) {
        return ScoreRequest.newBuilder().setTransactionId("t").setAccountId("a").setMerchantId("m")
                .setAmount(Money.newBuilder().setAmountMinor(amountCents).setCurrency("USD"))
                .setMerchantCategoryCode("5411").setChannel(Channel.CHANNEL_WEB)
                .setBillingCountry("US").setIpCountry("US").setCardBinCountry("US").build();
    }

    /** Request features plus the given stored answer. */
    FeatureVector vector(ScoreRequest r, GetFeaturesResponse stored) {
        FeatureVector v = deriver.fromRequest(r, 0);
        deriver.applyStored(v, stored, r);
        return v;
    }

    static GetFeaturesResponse priorOrders(FeatureStatus status) {
        return GetFeaturesResponse.newBuilder().addFeatures(ServedFeature.newBuilder().setName("prior_orders")
                .setStatus(status).setValue(FeatureValue.newBuilder().setLongValue(4))).build();
    }

    static ThresholdPolicy policy(CohortRule... rules) {
        return ThresholdPolicy.of("p", List.of(rules));
    }

    static CohortRule cohort(String name, String country, Coverage c) {
        return new CohortRule(name, country, null, null, null, null, 0.1, 0.3, 0.6, c);
    }

    @Test
    void shouldRankKeyFeaturesByTheModelsTotalCover() {
        // amount: 100 + 100; prior_orders: 70; channel: 60. Canonical indexes: AMOUNT 0, PRIOR_ORDERS 26, CHANNEL 4.
        assertEquals(List.of(0, 26, 4), java.util.Arrays.stream(MODEL.keyFeatures()).boxed().toList());
    }

    @Test
    void shouldLetTheModelDecideWhileEnoughOfItsKeyFeaturesAreKnown() {
        CohortRule d = cohort("default", null, null);
        CoverageVerdict v = rule.judge(policy(d), d, MODEL, vector(request(20_00),
                priorOrders(FeatureStatus.FEATURE_STATUS_OK)));
        assertFalse(v.insufficient());
        assertEquals(0.0, v.missingShare());
        assertEquals(List.of(), v.missing());
        assertNull(v.decision());
    }

    @Test
    void shouldStepUpWhenTooManyKeyFeaturesAreMissingOrDefaulted() {
        CohortRule d = cohort("default", null, null);
        // Key features (top 2): amount (known) and prior_orders (DEFAULTED, so missing): 1/2 = 0.5 > 0.4.
        CoverageVerdict v = rule.judge(policy(d), d, MODEL, vector(request(20_00),
                priorOrders(FeatureStatus.FEATURE_STATUS_DEFAULTED)));
        assertTrue(v.insufficient());
        assertEquals(0.5, v.missingShare());
        assertEquals(0.4, v.maxMissingShare());
        assertEquals(List.of("prior_orders"), v.missing());
        assertEquals(Decision.DECISION_STEP_UP, v.decision());
    }

    @Test
    void shouldNotTripAtExactlyTheAllowedShare() {
        CohortRule d = cohort("default", null, new Coverage(null, null, 0.5, null));
        CoverageVerdict v = rule.judge(policy(d), d, MODEL, vector(request(20_00), GetFeaturesResponse.getDefaultInstance()));
        assertEquals(0.5, v.missingShare());
        assertFalse(v.insufficient(), "the rule decides only above the share");
    }

    @Test
    void shouldTakeMissingFieldsFromTheDefaultCohortThenTheService() {
        CohortRule d = cohort("default", null, new Coverage(null, null, null, "APPROVE"));
        CohortRule ca = cohort("CA", "CA", new Coverage(3, null, null, null));
        ThresholdPolicy p = policy(d, ca);
        assertEquals(new Coverage(3, null, 0.4, "APPROVE"), rule.resolve(p, ca));
        assertEquals(new Coverage(2, null, 0.4, "APPROVE"), rule.resolve(p, d));
        CohortRule plain = cohort("default", null, null);
        assertEquals(SERVICE, rule.resolve(policy(plain), plain));
        // Top 3 with prior_orders and channel unknown: 2/3 > 0.4, and the default cohort's decision applies.
        ScoreRequest r = request(20_00).toBuilder().setChannel(Channel.CHANNEL_UNSPECIFIED).build();
        CoverageVerdict v = rule.judge(p, ca, MODEL, vector(r, GetFeaturesResponse.getDefaultInstance()));
        assertEquals(2 / 3.0, v.missingShare(), 1e-12);
        assertEquals(List.of("prior_orders", "channel"), v.missing());
        assertEquals(Decision.DECISION_APPROVE, v.decision());
    }

    @Test
    void shouldJudgeNamedFeaturesWhateverTheModelAndApplyTheFallbackRuleWhenAsked() {
        CohortRule d = cohort("default", null,
                new Coverage(null, List.of("account_age_days", "prior_orders", "amount"), 0.5, "FALLBACK_RULE"));
        // account_age_days and prior_orders missing: 2/3 > 0.5. The request-facts rule: 20 USD, same countries.
        CoverageVerdict small = rule.judge(policy(d), d, MODEL, vector(request(20_00),
                GetFeaturesResponse.getDefaultInstance()));
        assertEquals(List.of("account_age_days", "prior_orders"), small.missing());
        assertEquals(Decision.DECISION_APPROVE, small.decision());
        CoverageVerdict large = rule.judge(policy(d), d, MODEL, vector(request(900_00),
                GetFeaturesResponse.getDefaultInstance()));
        assertEquals(Decision.DECISION_STEP_UP, large.decision(), "900 USD is above the fallback's 500");
    }

    @Test
    void shouldBeSwitchedOffByAShareOfOne() {
        CohortRule d = cohort("default", null, new Coverage(null, null, 1.0, null));
        ScoreRequest r = request(20_00).toBuilder().setAmount(Money.newBuilder().setAmountMinor(100).setCurrency("XAF"))
                .setChannel(Channel.CHANNEL_UNSPECIFIED).build();
        CoverageVerdict v = rule.judge(policy(d), d, MODEL, vector(r, GetFeaturesResponse.getDefaultInstance()));
        assertEquals(1.0, v.missingShare());
        assertFalse(v.insufficient());
    }
}
