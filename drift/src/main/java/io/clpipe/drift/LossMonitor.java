package io.clpipe.drift;

import java.util.Locale;
import java.util.Optional;

/**
 * ADWIN on a learner's training loss, one value per step, reporting only rises: a falling loss is
 * the learner doing its job, a loss that jumps up means the data changed under it. A rise is
 * reported when ADWIN cuts its window and the mean of what remains (the recent part) lies above the
 * mean before the cut, at least {@code minSegmentSamples} steps after the previous report or
 * boundary. The caller calls {@link #restart()} at every boundary: a re-warmed schedule makes the
 * loss move for reasons of its own.
 */
public final class LossMonitor {

    /**
     * @param steps          losses observed
     * @param sinceDetection steps since the last report or restart
     * @param adwin          the test's window
     */
    public record State(long steps, long sinceDetection, AdwinState adwin) {
        public static final State EMPTY = new State(0, 0, AdwinState.EMPTY);
    }

    private final DriftConfig config;
    private long steps;
    private long sinceDetection;
    private Adwin adwin;

    public LossMonitor(DriftConfig config, State state) {
        this.config = config;
        this.steps = state.steps();
        this.sinceDetection = state.sinceDetection();
        this.adwin = new Adwin(config.adwin(), state.adwin());
    }

    /** Observes one step's loss (non-finite losses, from diverged steps, are skipped). */
    public Optional<Detection> observe(double loss) {
        if (!Double.isFinite(loss)) {
            return Optional.empty();
        }
        steps++;
        sinceDetection++;
        double before = adwin.mean();
        if (!adwin.update(loss) || adwin.mean() <= before || sinceDetection < config.minSegmentSamples()) {
            return Optional.empty();
        }
        String detail = String.format(Locale.ROOT, "ADWIN on the training loss: mean %.4f over the last %.0f steps, %.4f before",
                adwin.mean(), adwin.width(), before);
        restart();
        return Optional.of(new Detection(Signal.LOSS, steps, detail));
    }

    /** Forgets the window (at a boundary); the step count goes on. */
    public void restart() {
        sinceDetection = 0;
        adwin = new Adwin(config.adwin());
    }

    public State state() {
        return new State(steps, sinceDetection, adwin.state());
    }
}
