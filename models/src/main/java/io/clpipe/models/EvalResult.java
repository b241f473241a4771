package io.clpipe.models;

/**
 * Outcome of a forward pass over a set of samples.
 *
 * @param lossSum sum of per-sample cross-entropy losses (natural log)
 * @param correct samples whose arg-max prediction equals the label
 * @param count   samples evaluated
 */
public record EvalResult(double lossSum, long correct, long count) {

    public static final EvalResult EMPTY = new EvalResult(0, 0, 0);

    public double accuracy() {
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    public double meanLoss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }

    /** Mean loss in bits per predicted symbol (for the byte language model: bits per byte). */
    public double bitsPerSymbol() {
        return meanLoss() / Math.log(2);
    }

    public EvalResult plus(EvalResult other) {
        return new EvalResult(lossSum + other.lossSum, correct + other.correct, count + other.count);
    }
}
