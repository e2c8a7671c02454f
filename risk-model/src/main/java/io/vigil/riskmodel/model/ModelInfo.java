package io.vigil.riskmodel.model;

/**
 * Where a model came from, as recorded in its XGBoost JSON.
 *
 * @param xgboostVersion version that wrote the file, e.g. "3.0.4"
 * @param baseScore      base_score in probability space
 * @param treesInFile    trees stored in the file
 * @param bestIteration  early-stopping best iteration, or -1 when the model was not early-stopped
 */
public record ModelInfo(String xgboostVersion, double baseScore, int treesInFile, int bestIteration) {
}
