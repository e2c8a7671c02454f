package io.vigil.guardrail.streams;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * When fraud labels are complete enough to judge incorrect approvals, under {@code guardrail.labels.*}: see
 * {@link io.vigil.guardrail.evaluation.LabelMaturity}.
 */
@ConfigMapping(prefix = "guardrail.labels")
public interface GuardrailLabelsConfig {

    /**
     * The share of a vintage's fraud labels expected by each age after its payments, linear in between, e.g.
     * {@code P1D=0.2,P7D=0.5,P30D=0.8,P60D=0.93,P90D=0.98,P120D=1} (fraud reports within days, chargebacks up to 120
     * days).
     */
    @WithDefault("P1D=0.2,P7D=0.5,P30D=0.8,P60D=0.93,P90D=0.98,P120D=1")
    String maturity();

    /** A vintage is judged once the share of its labels expected by its age reaches this. */
    @WithDefault("0.9")
    double matureShare();
}
