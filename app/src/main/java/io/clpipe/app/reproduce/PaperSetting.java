package io.clpipe.app.reproduce;

import io.clpipe.app.demo.DemoSettings;
import io.clpipe.app.demo.DemoStrategy;
import io.clpipe.ingest.scenario.ScenarioConfig;
import io.clpipe.ingest.scenario.Scenarios;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The De Lange et al. 2023 setting (docs/reproductions.md): Split-MNIST, 5 tasks of 2 classes, class-incremental
 * with one head; MLP 784-400-400-10 ReLU (the demo's model); SGD η = 0.01, momentum 0.9; 256 new
 * samples per step, plus 256 replayed for the replay strategies (class-balanced buffer of 2000, loss
 * 0.3·new + 0.7·replay, see {@link DemoStrategy}); every iteration evaluated on 1000 samples per task.
 * Only the epoch count differs from the paper's 10 (and, for tests, an optional cap on images).
 *
 * @param epochsPerTask passes over each task's training images (the paper: 10)
 * @param trainPerTask  cap on training images per task, 0 = all (about 12,000 per task)
 * @param evalPerTask   eval samples per task (the paper: 1000)
 * @param seed          data order, initialisation and replay
 */
record PaperSetting(int epochsPerTask, int trainPerTask, int evalPerTask, long seed) {

    static final String SCENARIO = Scenarios.SPLIT_MNIST;
    static final int PAPER_EPOCHS = 10;
    static final int NEW_PER_STEP = 256;
    static final double LR = 0.01;
    /** The strategies of {@code reproduce stability-gap}, in table order. */
    static final List<DemoStrategy> STRATEGIES = List.of(DemoStrategy.FINETUNE, DemoStrategy.REPLAY, DemoStrategy.REPLAY_REWARM);

    PaperSetting {
        if (epochsPerTask < 1 || trainPerTask < 0 || evalPerTask < 1) {
            throw new IllegalArgumentException("need epochs >= 1, train cap >= 0 and eval samples >= 1");
        }
    }

    /** Finetune steps on 256 new samples; the replay strategies on 256 new + 256 replayed. */
    static int batchSize(DemoStrategy strategy) {
        return strategy == DemoStrategy.FINETUNE ? NEW_PER_STEP : 2 * NEW_PER_STEP;
    }

    ScenarioConfig scenarioConfig() {
        return ScenarioConfig.defaults().withEpochs(epochsPerTask).withTrainPerTask(trainPerTask)
                .withEvalPerTask(evalPerTask).withSeed(seed);
    }

    /** Evaluation at every iteration (ρ = 1, no boundary-dense window needed), no /metrics endpoint. */
    DemoSettings demoSettings(DemoStrategy strategy, Path outDir) {
        return new DemoSettings(SCENARIO, strategy, epochsPerTask, trainPerTask, evalPerTask, batchSize(strategy), LR, 1, 0,
                seed, outDir, -1);
    }

    /** What was run, for the console and the result files; says how it differs from the paper. */
    String describe() {
        String epochs = epochsPerTask == PAPER_EPOCHS ? "10 epochs per task (as the paper)"
                : String.format(Locale.ROOT, "%d epoch%s per task (the paper: %d, reduced to keep the three runs short)",
                        epochsPerTask, epochsPerTask == 1 ? "" : "s", PAPER_EPOCHS);
        String images = trainPerTask == 0 ? "all training images" : "at most " + trainPerTask + " training images per task (test cap)";
        return String.format(Locale.ROOT, "Split-MNIST 5×2 classes, class-incremental single head; MLP 784-400-400-10 ReLU; "
                + "SGD lr %s momentum 0.9; %d new samples per step (+%d replayed for replay strategies: class-balanced buffer 2000, "
                + "loss 0.3·new + 0.7·replay); %s, %s; evaluation every iteration on %d samples per task; seed %d",
                LR, NEW_PER_STEP, NEW_PER_STEP, epochs, images, evalPerTask, seed);
    }
}
