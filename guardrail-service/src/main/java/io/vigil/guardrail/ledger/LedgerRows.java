package io.vigil.guardrail.ledger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Timestamp;

import io.vigil.contracts.events.v1.ArmScore;
import io.vigil.contracts.events.v1.DecisionAttributes;
import io.vigil.contracts.events.v1.DecisionMade;
import io.vigil.contracts.events.v1.FeatureUsed;
import io.vigil.contracts.events.v1.OutcomeRecorded;
import io.vigil.contracts.scoring.v1.Reason;

/**
 * Decision and outcome events as ledger rows. Enum values lose their proto prefix (DECISION_APPROVE -> APPROVE) so
 * the SQL of the analyses reads in domain words. An event without its id or transaction id cannot be joined or
 * de-duplicated and is refused ({@link #decision} / {@link #outcome} return null).
 */
public final class LedgerRows {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public record DecisionRow(String decisionId, String transactionId, String accountId, OffsetDateTime eventAt,
            OffsetDateTime decidedAt, String decision, double score, String arm, String modelVersion,
            String policyVersion, boolean fallback, String fallbackCause, String country, String region,
            String customerAgeBand, String channel, String loginMethod, String merchantId, String merchantCategory,
            String deviceId, String cardBin, String binCountry, String ipCountry, String billingCountry,
            Double amountUsd, String amountBand, String armScores, String features, String featureContract,
            String reasons) {
    }

    public record OutcomeRow(String outcomeId, String transactionId, OffsetDateTime occurredAt, String kind,
            Long amountMinor, String currency, String producer) {
    }

    private LedgerRows() {
    }

    public static DecisionRow decision(DecisionMade d) {
        if (d.getDecisionId().isEmpty() || d.getTransactionId().isEmpty() || !d.hasDecidedAt()) {
            return null;
        }
        DecisionAttributes a = d.getAttributes();
        OffsetDateTime decided = time(d.getDecidedAt());
        OffsetDateTime eventAt = d.hasPaymentCreatedAt() ? time(d.getPaymentCreatedAt()) : decided;
        Double amount = a.hasAmountUsd() ? a.getAmountUsd() : null;
        return new DecisionRow(d.getDecisionId(), d.getTransactionId(), d.getAccountId(), eventAt, decided,
                strip(d.getDecision().name(), "DECISION_"), d.getScore(), strip(d.getArm().name(), "ARM_"),
                d.getModelVersion(), d.getPolicyVersion(), d.getFallback(),
                strip(d.getFallbackCause().name(), "FALLBACK_CAUSE_"), a.getCountry(), a.getRegion(),
                a.getCustomerAgeBand(), a.getChannel(), a.getLoginMethod(), a.getMerchantId(),
                a.getMerchantCategory(), a.getDeviceId(), a.getCardBin(), a.getCardIssuerCountry(),
                a.getIpCountry(), a.getBillingCountry(), amount, AmountBand.of(amount), armScores(d), features(d),
                d.getFeatureContract(), reasons(d));
    }

    public static OutcomeRow outcome(OutcomeRecorded o) {
        if (o.getOutcomeId().isEmpty() || o.getTransactionId().isEmpty() || !o.hasOccurredAt()) {
            return null;
        }
        return new OutcomeRow(o.getOutcomeId(), o.getTransactionId(), time(o.getOccurredAt()),
                strip(o.getKind().name(), "OUTCOME_KIND_"), o.hasAmount() ? o.getAmount().getAmountMinor() : null,
                o.hasAmount() ? o.getAmount().getCurrency() : null, o.getProducer());
    }

    private static String armScores(DecisionMade d) {
        ArrayNode arr = JSON.arrayNode();
        for (ArmScore s : d.getArmScoresList()) {
            ObjectNode n = arr.addObject();
            n.put("model_version", s.getModelVersion());
            n.put("role", strip(s.getRole().name(), "ARM_ROLE_"));
            n.put("score", s.getScore());
            n.put("decided", s.getDecided());
        }
        return write(arr);
    }

    private static String features(DecisionMade d) {
        ArrayNode arr = JSON.arrayNode();
        for (FeatureUsed f : d.getFeaturesList()) {
            ObjectNode n = arr.addObject();
            n.put("name", f.getName());
            if (f.getMissing() || !Double.isFinite(f.getValue())) {
                n.putNull("value");
            } else {
                n.put("value", f.getValue());
            }
            n.put("missing", f.getMissing());
        }
        return write(arr);
    }

    private static String reasons(DecisionMade d) {
        ArrayNode arr = JSON.arrayNode();
        for (Reason r : d.getReasonsList()) {
            ObjectNode n = arr.addObject();
            n.put("code", r.getCode());
            n.put("feature", r.getFeature());
            n.put("contribution", Double.isFinite(r.getContribution()) ? r.getContribution() : 0);
        }
        return write(arr);
    }

    private static String write(ArrayNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // A tree of strings, numbers and booleans always serialises.
            throw new IllegalStateException(e);
        }
    }

    static OffsetDateTime time(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).atOffset(ZoneOffset.UTC);
    }

    private static String strip(String name, String prefix) {
        return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    }
}
