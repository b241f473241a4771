package io.clpipe.bench.learner;

/** The update rules compared; {@code torchName} is what bench/torch_mlp.py calls the same rule. */
public enum BenchOptimizer {
    SGD("sgd", "sgd", 0.01f),
    MOMENTUM("sgd+momentum 0.9", "momentum", 0.01f),
    ADAMW("adamw", "adamw", 1e-3f);

    private final String label;
    private final String torchName;
    private final float learningRate;

    BenchOptimizer(String label, String torchName, float learningRate) {
        this.label = label;
        this.torchName = torchName;
        this.learningRate = learningRate;
    }

    public String label() {
        return label;
    }

    public String torchName() {
        return torchName;
    }

    public float learningRate() {
        return learningRate;
    }
}
