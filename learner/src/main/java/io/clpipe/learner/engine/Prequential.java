package io.clpipe.learner.engine;

/**
 * Prequential (test-then-train) accuracy and loss with a fading factor α, as MOA's
 * FadingFactorClassificationPerformanceEvaluator and River's rolling metrics compute it (Gama,
 * Sebastião, Rodrigues 2013). Each sample is scored by the model before the step that trains on it;
 * after n samples with outcomes c_i (1 if the arg-max was the label) and losses ℓ_i:
 * <pre>
 *   S_n = c_n + α·S_{n−1},  L_n = ℓ_n + α·L_{n−1},  N_n = 1 + α·N_{n−1}   (S_0 = L_0 = N_0 = 0)
 *   accuracy_n = S_n / N_n,  loss_n = L_n / N_n
 * </pre>
 * α = 1 is the plain mean over every sample seen; α &lt; 1 weighs sample n−k by α^k (an effective
 * window of about 1/(1−α) samples: 1000 for the default 0.999). Not thread-safe.
 */
public final class Prequential {

    public static final double DEFAULT_FADING = 0.999;

    /** The running sums, to checkpoint and restore. */
    public record State(double correct, double loss, double weight, long samples) {
        public static final State EMPTY = new State(0, 0, 0, 0);
    }

    private final double alpha;
    private double correct;
    private double loss;
    private double weight;
    private long samples;

    public Prequential(double alpha) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("fading factor must be in (0, 1], got " + alpha);
        }
        this.alpha = alpha;
    }

    /** One sample's pre-update outcome, in stream order. */
    public void add(boolean hit, double sampleLoss) {
        correct = (hit ? 1 : 0) + alpha * correct;
        loss = sampleLoss + alpha * loss;
        weight = 1 + alpha * weight;
        samples++;
    }

    /** NaN before the first sample. */
    public double accuracy() {
        return samples == 0 ? Double.NaN : correct / weight;
    }

    /** Mean cross-entropy (natural log), faded like the accuracy; NaN before the first sample. */
    public double loss() {
        return samples == 0 ? Double.NaN : loss / weight;
    }

    public long samples() {
        return samples;
    }

    public double alpha() {
        return alpha;
    }

    public State state() {
        return new State(correct, loss, weight, samples);
    }

    public void restore(State s) {
        correct = s.correct();
        loss = s.loss();
        weight = s.weight();
        samples = s.samples();
    }
}
