package io.clpipe.app.demo;

import java.nio.file.Path;

/**
 * One demo run.
 *
 * @param scenario       split-mnist, permuted-mnist, rotated-mnist or mnist-fashion
 * @param strategy       what the learner does against forgetting
 * @param epochsPerTask  passes over each task's training images
 * @param trainPerTask   cap on training images per task (0 = all)
 * @param evalPerTask    eval samples per task
 * @param batchSize      samples per step, new plus replayed
 * @param lr             peak learning rate
 * @param evalPeriod     ρ: evaluate every ρ iterations...
 * @param denseWindow    ...and every iteration for the first W after a boundary
 * @param seed           drives data order, initialisation and replay
 * @param outDir         where the report goes
 * @param metricsPort    serve the services' /metrics here (-1: off)
 */
public record DemoSettings(String scenario, DemoStrategy strategy, int epochsPerTask, int trainPerTask, int evalPerTask,
                           int batchSize, double lr, int evalPeriod, int denseWindow, long seed, Path outDir, int metricsPort) {
}
