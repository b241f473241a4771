package io.clpipe.app.reproduce;

import java.util.Locale;
import java.util.Properties;

/**
 * The arms of {@code reproduce rewarm} (Gupta et al. 2023, Ibrahim et al. 2024, Abbes et al. 2025;
 * docs/reproductions.md), all on the same number of steps.
 */
enum RewarmArm {
    /** (a) From scratch on EN and DE interleaved, warmup + cosine over both phases' steps. */
    UNION("union", 0, false),
    /** (b) Warmup + cosine on EN, then DE at the constant floor rate (no re-warm). */
    CONSTANT("constant-lr", 0, false),
    /** (c) Re-warm and re-decay at the boundary, no replay. */
    REWARM("rewarm", 0, false),
    /** (d) ... with 1% of each DE batch replayed from EN ({@code replay.policy=past}, as Ibrahim et al.). */
    REPLAY_1("rewarm+replay-1%", 0.01, true),
    /** (d) ... with 5% replay of EN. */
    REPLAY_5("rewarm+replay-5%", 0.05, true),
    /** (d) ... with 25% replay of EN. */
    REPLAY_25("rewarm+replay-25%", 0.25, true),
    /** (e) Infinite schedule: warmup, inverse-sqrt cooldown to η_const, constant across the boundary, anneal at the end. */
    INFINITE("infinite", 0, false),
    /** (f) 25% replay of EN plus Reptile (MER) every k steps. */
    REPTILE_25("rewarm+replay-25%+reptile", 0.25, true),
    /**
     * (d') the earlier replay arms, kept for comparison: a task-balanced buffer that includes the
     * current task, so about half of the replayed share is DE, and the EN phase also replays.
     */
    TB_REPLAY_1("rewarm+tb-replay-1%", 0.01, false),
    TB_REPLAY_5("rewarm+tb-replay-5%", 0.05, false),
    TB_REPLAY_25("rewarm+tb-replay-25%", 0.25, false);

    /** Replay buffer capacity in windows (task-balanced storage, for both policies). */
    static final int REPLAY_CAPACITY = 20_000;
    /** Infinite schedule: η_const as a share of η_max, and the inverse-sqrt cooldown's α. */
    static final double INFINITE_CONSTANT = 0.3;
    static final double INFINITE_ALPHA = 10;
    /** Reptile interpolation ε (Abbes et al.: 0.1 every 500 steps at 6B; here a run has far fewer steps). */
    static final double REPTILE_EPSILON = 0.5;

    private final String label;
    private final double replay;
    private final boolean past;

    RewarmArm(String label, double replay, boolean past) {
        this.label = label;
        this.replay = replay;
        this.past = past;
    }

    String label() {
        return label;
    }

    /** Share r of each batch replayed. */
    double replay() {
        return replay;
    }

    /** Replayed windows per step: round(r·B). */
    int replayPerStep(RewarmSetting s) {
        return (int) Math.round(replay * s.batch());
    }

    /** Replay policy of the arm's learner, or null without replay. */
    String replayPolicy() {
        return replay == 0 ? null : past ? "past" : "task-balanced";
    }

    /** New windows per step of the DE phase, and so its new text: (B − replayed)/B of the budget. */
    int newPerStep(RewarmSetting s) {
        return s.batch() - replayPerStep(s);
    }

    /** DE (second phase) training bytes. */
    long phaseBytes(RewarmSetting s) {
        return s.stepsPerPhase() * newPerStep(s) * s.bytesPerSample();
    }

    /** EN (first phase) training bytes: with past-only replay there is nothing to replay yet, so every batch is new text. */
    long firstPhaseBytes(RewarmSetting s) {
        return past ? s.stepsPerPhase() * s.batch() * s.bytesPerSample() : phaseBytes(s);
    }

    /** Steps of the infinite arm's final anneal (requested this many steps before the end). */
    static long annealSteps(RewarmSetting s) {
        return Math.max(1, s.stepsPerPhase() / 5);
    }

    /** Reptile's k: every this many steps. */
    static long reptileEvery(RewarmSetting s) {
        return Math.max(5, s.stepsPerPhase() / 30);
    }

    /** Learner service settings of this arm. */
    Properties learnerSettings(RewarmSetting s) {
        long phase = s.stepsPerPhase();
        long warmup = Math.max(1, phase / 100);
        Properties p = new Properties();
        p.setProperty("seed", Long.toString(s.seed()));
        p.setProperty("model.context", Integer.toString(s.context()));
        if (s.transformer() != null) {
            p.setProperty("model.kind", "byte-transformer");
            p.setProperty("model.width", Integer.toString(s.transformer().width()));
            p.setProperty("model.heads", Integer.toString(s.transformer().heads()));
            p.setProperty("model.layers", Integer.toString(s.transformer().layers()));
            p.setProperty("clip.norm", "1.0");
        } else {
            p.setProperty("model.kind", "byte-lm");
            p.setProperty("model.embed", Integer.toString(s.embed()));
            p.setProperty("model.hidden", String.join(",", java.util.Arrays.stream(s.hidden()).mapToObj(Integer::toString).toList()));
        }
        p.setProperty("batch.size", Integer.toString(s.batch()));
        p.setProperty("optimizer", "adamw");
        p.setProperty("weight.decay", "0");
        p.setProperty("lr", Double.toString(s.lr()));
        p.setProperty("lr.floor", Double.toString(s.lr() / 10));
        p.setProperty("warmup.steps", Long.toString(warmup));
        p.setProperty("eval.period", Integer.toString(s.evalEvery()));
        p.setProperty("eval.dense.window", "0");
        switch (this) {
            case UNION -> {
                // warmup + cosine to the floor over both phases, written as the infinite schedule's cosine
                // cooldown to η_const = floor: that schedule ignores the many EN/DE task changes of the mix
                p.setProperty("schedule", "infinite");
                p.setProperty("warmup.steps", Long.toString(Math.max(1, 2 * phase / 100)));
                p.setProperty("infinite.constant", Double.toString(s.lr() / 10));
                p.setProperty("infinite.cooldown", "cosine");
                p.setProperty("infinite.cooldown.steps", Long.toString(2 * phase - Math.max(1, 2 * phase / 100)));
                p.setProperty("infinite.anneal.steps", "1");
            }
            case CONSTANT -> {
                p.setProperty("schedule", "cosine");
                p.setProperty("total.steps", Long.toString(phase));
                p.setProperty("rewarm.lr", Double.toString(s.lr() / 10));
                p.setProperty("rewarm.steps", "0");
            }
            case INFINITE -> {
                p.setProperty("schedule", "infinite");
                p.setProperty("infinite.constant", Double.toString(s.lr() * INFINITE_CONSTANT));
                p.setProperty("infinite.cooldown", "inverse-sqrt");
                p.setProperty("infinite.alpha", Double.toString(INFINITE_ALPHA));
                p.setProperty("infinite.cooldown.steps", Long.toString(phase / 2));
                p.setProperty("infinite.anneal.steps", Long.toString(annealSteps(s)));
            }
            default -> {
                p.setProperty("schedule", "cosine");
                p.setProperty("total.steps", Long.toString(phase));
                p.setProperty("rewarm.steps", Long.toString(warmup));
            }
        }
        if (replay > 0) {
            p.setProperty("replay.policy", replayPolicy());
            p.setProperty("replay.capacity", Integer.toString(REPLAY_CAPACITY));
            p.setProperty("replay.fraction", Double.toString(replay));
        }
        if (this == REPTILE_25) {
            p.setProperty("reptile.every", Long.toString(reptileEvery(s)));
            p.setProperty("reptile.epsilon", Double.toString(REPTILE_EPSILON));
        }
        return p;
    }

    static RewarmArm parse(String text) {
        for (RewarmArm a : values()) {
            if (a.label.equalsIgnoreCase(text.trim()) || a.name().equalsIgnoreCase(text.trim().replace('-', '_'))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown arm '" + text + "'");
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
