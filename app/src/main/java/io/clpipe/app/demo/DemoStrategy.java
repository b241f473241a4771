package io.clpipe.app.demo;

import java.util.Locale;
import java.util.Properties;

/**
 * The continual-learning strategies the demo compares, as learner settings (docs/reproductions.md; De Lange et al.
 * 2023: SGD 0.01 momentum 0.9, class-balanced buffer of 2000, half of each batch replayed, loss
 * 0.3·new + 0.7·replay).
 */
public enum DemoStrategy {
    /** Plain SGD on the new data only. */
    FINETUNE,
    /** Class-balanced replay, constant learning rate. */
    REPLAY,
    /** Replay plus a cosine schedule that re-warms at every boundary and re-decays over the task. */
    REPLAY_REWARM,
    /** Replay plus Reptile/MER interpolation of the weights every k steps. */
    REPLAY_MER;

    public static DemoStrategy parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown strategy '" + text + "': finetune, replay, replay-rewarm or replay-mer", e);
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param stepsPerTask learner steps one task's training data makes (for the schedule's length)
     */
    public Properties learnerSettings(int batchSize, double lr, long stepsPerTask, long seed) {
        Properties p = new Properties();
        p.setProperty("seed", Long.toString(seed));
        p.setProperty("batch.size", Integer.toString(batchSize));
        p.setProperty("optimizer", "sgd");
        p.setProperty("momentum", "0.9");
        p.setProperty("lr", Double.toString(lr));
        if (this != FINETUNE) {
            p.setProperty("replay.policy", "class-balanced");
            p.setProperty("replay.capacity", "2000");
            p.setProperty("replay.fraction", "0.5");
            p.setProperty("replay.loss.weights", "0.3,0.7");
        }
        if (this == REPLAY_REWARM) {
            long total = Math.max(stepsPerTask, 10);
            p.setProperty("schedule", "cosine");
            p.setProperty("total.steps", Long.toString(total));
            p.setProperty("warmup.steps", Long.toString(Math.max(1, total / 100)));
            p.setProperty("rewarm.steps", Long.toString(Math.max(1, total / 100)));
            p.setProperty("lr.floor", Double.toString(lr * 0.1));
        }
        if (this == REPLAY_MER) {
            p.setProperty("reptile.every", Long.toString(Math.max(5, stepsPerTask / 10)));
            p.setProperty("reptile.epsilon", "0.1");
        }
        return p;
    }
}
