package io.clpipe.harness.chaos;

/** The faults {@code clpipe chaos} injects, one scenario each. */
public enum Fault {
    /** The broker stops and starts again on the same data directory and port while the stream flows. */
    BROKER_RESTART("broker restart"),
    /** SIGKILL of the learner, the evaluator or ingest at random moments; each is restarted at once. */
    SERVICE_KILLS("SIGKILL learner/evaluator/ingest"),
    /** The learner is killed, the newest checkpoint generation of every stream corrupted, the learner restarted. */
    CORRUPT_CHECKPOINT("corrupt newest checkpoint"),
    /** Finite features (pass validation) that overflow the forward pass: the loss becomes NaN/Inf. */
    DIVERGENCE("NaN/Inf loss"),
    /** Two learner instances share the streams; one is killed and the survivor takes over its partitions. */
    LEARNER_FAILOVER("kill 1 of 2 learners"),
    /** Two evaluator instances share the models partitions; one is killed and the survivor takes over its streams. */
    EVALUATOR_FAILOVER("kill 1 of 2 evaluators"),
    /** The evaluator has two scorer instances score its streams' versions in parallel (scoring=spread); one is killed. */
    SCORER_FAILOVER("kill 1 of 2 scorers");

    private final String label;

    Fault(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Topic-prefix-safe name. */
    String slug() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
