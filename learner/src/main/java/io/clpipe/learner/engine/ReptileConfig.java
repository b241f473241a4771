package io.clpipe.learner.engine;

/**
 * MER / Reptile interpolation (Abbes et al. 2025): every {@code every} steps θ ← θ_a + ε(θ − θ_a) and
 * θ_a ← θ. {@code every} = 0 disables it.
 */
public record ReptileConfig(int every, double epsilon) {

    public ReptileConfig {
        if (every < 0 || (every > 0 && !(epsilon > 0 && epsilon <= 1))) {
            throw new IllegalArgumentException("Reptile needs every >= 0 and 0 < epsilon <= 1");
        }
    }

    public static ReptileConfig disabled() {
        return new ReptileConfig(0, 1);
    }

    /** The paper's setting: k = 500, ε = 0.1 (their code defaults to ε = 0.01). */
    public static ReptileConfig paper() {
        return new ReptileConfig(500, 0.1);
    }

    public boolean enabled() {
        return every > 0;
    }
}
