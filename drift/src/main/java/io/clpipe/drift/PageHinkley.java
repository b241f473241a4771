package io.clpipe.drift;

/**
 * Two-sided Page-Hinkley test for a change in the mean of a scalar stream (Page 1954; as in
 * scikit-multiflow/river). With running mean x̄_t and tolerance δ:
 * <pre>
 *   up_t   = up_{t-1}   + (x_t − x̄_t − δ),   drift up   when up_t − min(up)     &gt; λ
 *   down_t = down_{t-1} + (x̄_t − x_t − δ),   drift down when down_t − min(down) &gt; λ
 * </pre>
 * After a detection the test restarts from scratch. No detection before {@code minSamples}.
 * State is a handful of doubles, so it can live in a Streams state store.
 */
public final class PageHinkley {

    private final PageHinkleyConfig config;
    private PageHinkleyState state;

    public PageHinkley(PageHinkleyConfig config) {
        this(config, PageHinkleyState.EMPTY);
    }

    public PageHinkley(PageHinkleyConfig config, PageHinkleyState state) {
        this.config = config;
        this.state = state;
    }

    /** Adds one observation; true when a change in mean is detected (the test then restarts). */
    public boolean add(double x) {
        long n = state.count() + 1;
        double mean = state.mean() + (x - state.mean()) / n;
        double up = state.up() + (x - mean - config.delta());
        double down = state.down() + (mean - x - config.delta());
        double minUp = Math.min(state.minUp(), up);
        double minDown = Math.min(state.minDown(), down);
        boolean drift = n >= config.minSamples()
                && (up - minUp > config.lambda() || down - minDown > config.lambda());
        state = drift ? PageHinkleyState.EMPTY : new PageHinkleyState(n, mean, up, minUp, down, minDown);
        return drift;
    }

    public PageHinkleyState state() {
        return state;
    }
}
