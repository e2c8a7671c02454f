package io.vigil.riskmodel.model;

/** A well-formed XGBoost model that uses something this evaluator deliberately does not implement. */
public final class UnsupportedModelException extends ModelLoadException {

    public UnsupportedModelException(String message) {
        super(message);
    }
}
