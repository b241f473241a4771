package io.clpipe.bench.learner;

/** One timed run: {@code steps} training steps of {@code batch} samples in {@code seconds}. */
public record StepTiming(int batch, int steps, double seconds) {

    public double msPerStep() {
        return 1e3 * seconds / steps;
    }

    public double samplesPerSecond() {
        return batch * steps / seconds;
    }
}
