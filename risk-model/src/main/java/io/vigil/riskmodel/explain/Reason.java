package io.vigil.riskmodel.explain;

/**
 * One reason a transaction scored as it did.
 *
 * @param feature      model feature name
 * @param contribution the feature's TreeSHAP contribution to the margin (log-odds); positive pushes toward fraud
 * @param description  readable reason from the feature catalog, e.g. "Account opened very recently"
 */
public record Reason(String feature, double contribution, String description) {
}
