package io.clpipe.bench.learner;

import io.clpipe.models.ModelSpec;
import java.util.List;

/**
 * Settings of {@code clpipe bench transformer}: the model shapes to measure, each with its own step
 * counts (a full-setting step takes seconds), the interleaved repeats, the AdamW settings both sides
 * train with, and the OpenBLAS threads both use.
 */
public record TransformerBenchConfig(List<Setting> settings, int repeats, SameDiffTransformer.AdamSettings adam, int blasThreads,
                                     long seed) {

    /** One shape: {@code windows} windows of {@code spec.context()} bytes per step. */
    public record Setting(String name, ModelSpec.ByteTransformer spec, int warmupSteps, int timedSteps) {
        public Setting {
            if (warmupSteps < 0 || timedSteps <= 0) {
                throw new IllegalArgumentException("need warm-up >= 0 and timed steps > 0, got " + warmupSteps + " and " + timedSteps);
            }
        }

        int windows() {
            return spec.maxBatch();
        }
    }

    public TransformerBenchConfig {
        settings = List.copyOf(settings);
        if (settings.isEmpty() || repeats <= 0 || blasThreads <= 0) {
            throw new IllegalArgumentException("need a setting, repeats > 0 and BLAS threads > 0");
        }
    }

    /**
     * The two settings of {@code reproduce rewarm --model transformer} (docs/reproductions.md): quick (2 layers,
     * width 64, context 64, 4 heads) and full (width 128, context 128), both at batch 20 windows; AdamW η = 1e-3,
     * β = (0.9, 0.999), ε = 1e-8, weight decay 0.01; one OpenBLAS thread; 3 repeats.
     */
    public static TransformerBenchConfig defaults() {
        return new TransformerBenchConfig(List.of(
                new Setting("quick", new ModelSpec.ByteTransformer(64, 64, 4, 2, 20), 5, 20),
                new Setting("full", new ModelSpec.ByteTransformer(128, 128, 4, 2, 20), 2, 5)),
                3, new SameDiffTransformer.AdamSettings(1e-3, 0.9, 0.999, 1e-8, 0.01), 1, 1L);
    }

    /** The same settings with {@code repeats} repeats and each setting's step counts divided by {@code divisor} (at least 1 timed step). */
    public TransformerBenchConfig shortened(int repeats, int divisor) {
        List<Setting> shorter = settings.stream()
                .map(s -> new Setting(s.name(), s.spec(), s.warmupSteps() / divisor, Math.max(1, s.timedSteps() / divisor)))
                .toList();
        return new TransformerBenchConfig(shorter, repeats, adam, blasThreads, seed);
    }

    public TransformerBenchConfig withBlasThreads(int threads) {
        return new TransformerBenchConfig(settings, repeats, adam, threads, seed);
    }
}
