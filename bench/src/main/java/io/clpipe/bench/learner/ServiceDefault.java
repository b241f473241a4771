package io.clpipe.bench.learner;

import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.learner.engine.optim.OptimizerSpec;
import io.clpipe.learner.engine.schedule.Constant;
import java.util.Optional;

/**
 * The row of the benchmark that matches what the learner service trains with when nothing is set
 * ({@link LearnerConfig#defaults()}, which the service's settings default to): its update rule,
 * learning rate and batch size.
 *
 * @param description e.g. {@code "sgd+momentum 0.9, lr 0.01, batch 128"}
 */
public record ServiceDefault(int batch, Nd4jVariant variant, String description) {

    /** The measured row for {@code config}, or empty when the benchmark does not measure that rule and rate. */
    public static Optional<ServiceDefault> of(LearnerConfig config) {
        Optional<BenchOptimizer> rule = rule(config.optimizer());
        if (rule.isEmpty() || !(config.schedule() instanceof Constant constant)
                || (float) constant.peak() != rule.get().learningRate()) {
            return Optional.empty();
        }
        Nd4jVariant variant = new Nd4jVariant(rule.get(), false);
        return Optional.of(new ServiceDefault(config.batchSize(), variant,
                String.format(java.util.Locale.ROOT, "%s, lr %s, batch %d", rule.get().label(), constant.peak(), config.batchSize())));
    }

    private static Optional<BenchOptimizer> rule(OptimizerSpec spec) {
        if (spec instanceof OptimizerSpec.Sgd sgd && !sgd.nesterov() && sgd.weightDecay() == 0) {
            if (sgd.momentum() == 0) {
                return Optional.of(BenchOptimizer.SGD);
            }
            if (sgd.momentum() == 0.9) {
                return Optional.of(BenchOptimizer.MOMENTUM);
            }
        }
        if (spec.equals(OptimizerSpec.AdamW.defaults())) {
            return Optional.of(BenchOptimizer.ADAMW);
        }
        return Optional.empty();
    }
}
