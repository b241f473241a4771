package io.clpipe.models;

/** Argument checks shared by the models, done before any buffer is touched. */
final class BatchChecks {

    private BatchChecks() {
    }

    /** Rows {@code [from, from + rows)} of the batch must be well formed for a model with these dimensions. */
    static void check(Batch batch, int from, int rows, int inputDim, int classes) {
        if ((long) (from + rows) * inputDim > batch.features().length) {
            throw new IllegalArgumentException("features hold " + batch.features().length + " values, need "
                    + (long) (from + rows) * inputDim + " for " + (from + rows) + " rows of " + inputDim);
        }
        int[] labels = batch.labels();
        float[] weights = batch.weights();
        for (int r = from; r < from + rows; r++) {
            if (labels[r] < 0 || labels[r] >= classes) {
                throw new IllegalArgumentException("label " + labels[r] + " at row " + r + " is outside [0, " + classes + ")");
            }
            if (weights != null && !(weights[r] >= 0f && weights[r] < Float.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("loss weight " + weights[r] + " at row " + r + " is not finite and >= 0");
            }
        }
    }

    /** {@code probabilities} can hold a distribution over {@code classes} for every row of the batch. */
    static void checkProbabilities(Batch batch, float[] probabilities, int classes) {
        if (probabilities.length < (long) batch.size() * classes) {
            throw new IllegalArgumentException("probabilities hold " + probabilities.length + " values, need "
                    + (long) batch.size() * classes);
        }
    }

    static void checkTrainingSize(Batch batch, int maxBatch) {
        if (batch.size() == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        if (batch.size() > maxBatch) {
            throw new IllegalArgumentException("batch of " + batch.size() + " exceeds the model's maxBatch " + maxBatch);
        }
    }
}
