package io.vigil.training.train;

import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.riskmodel.population.PaymentBatch;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Builds XGBoost DMatrix objects from population rows (row-major floats, NaN = missing). */
public final class XGBoostData {

    private XGBoostData() {
    }

    public static DMatrix matrix(float[] rowMajor, int rows, float[] labels) throws XGBoostError {
        DMatrix m = new DMatrix(rowMajor, rows, PaymentBatch.WIDTH, Float.NaN);
        m.setFeatureNames(PaymentFeature.names().toArray(String[]::new));
        if (labels != null) {
            m.setLabel(labels);
        }
        return m;
    }

    /** Rows {@code from .. from + rows} of a batch, labelled with the fraud outcome. */
    public static DMatrix labelled(PaymentBatch batch, int from, int rows) throws XGBoostError {
        float[] x = new float[rows * PaymentBatch.WIDTH];
        System.arraycopy(batch.features(), from * PaymentBatch.WIDTH, x, 0, x.length);
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = batch.fraud(from + i) ? 1f : 0f;
        }
        return matrix(x, rows, y);
    }
}
