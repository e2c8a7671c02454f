package io.vigil.riskmodel.model;

/**
 * A model file that cannot be turned into a trustworthy evaluator: unreadable, corrupt, or using a feature this evaluator
 * does not implement. Loading fails loudly rather than producing a model that could return a wrong score.
 */
public class ModelLoadException extends RuntimeException {

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
