package io.clpipe.app.reproduce;

import java.util.Arrays;
import java.util.Locale;

/**
 * The size of {@code reproduce rewarm}: a byte-level LM (context → embedding → MLP → softmax over 256)
 * trained on {@code phaseBytes} of English man pages, then {@code phaseBytes} of German ones, every
 * arm taking the same number of steps of {@code batch} windows (the replay arms read (1 − r) as much
 * new text, the rest of each batch is replayed: compute-equivalent replay).
 *
 * @param phaseBytes    training bytes (= windows = token budget) per domain for an arm without replay
 * @param evalDocs      validation documents per domain
 * @param evalBytes     bytes of each validation slice (windows scored per document)
 * @param batch         windows per step, new plus replayed
 * @param context       bytes of context the model sees
 * @param embed         embedding width per byte
 * @param hidden        hidden layer widths (ReLU)
 * @param lr            peak learning rate (AdamW), floor 0.1·lr
 * @param evalEvery     snapshots evaluated every this many steps (more often just after a boundary)
 * @param seed          document order, initialisation, replay
 */
record RewarmSetting(long phaseBytes, int evalDocs, int evalBytes, int batch, int context, int embed, int[] hidden, double lr,
                     int evalEvery, long seed, Transformer transformer) {

    static final String STREAM = "manpages-lm";

    /**
     * {@code --model transformer}: a causal Transformer byte LM instead of the MLP; a sample is then a
     * window of {@code context} bytes whose every position is predicted, so a step trains on
     * {@code batch · context} bytes.
     */
    record Transformer(int width, int heads, int layers) {
    }

    RewarmSetting(long phaseBytes, int evalDocs, int evalBytes, int batch, int context, int embed, int[] hidden, double lr, int evalEvery,
                  long seed) {
        this(phaseBytes, evalDocs, evalBytes, batch, context, embed, hidden, lr, evalEvery, seed, null);
    }

    RewarmSetting {
        hidden = hidden.clone();
        if (phaseBytes < batch * 10L * (transformer == null ? 1 : context) || evalDocs < 1 || evalBytes < context || batch < 4 || evalEvery < 1) {
            throw new IllegalArgumentException("rewarm setting too small: " + phaseBytes + " bytes per phase, batch " + batch);
        }
    }

    /** The full run (docs/reproductions.md): 500 KB per domain, 64 bytes of context. */
    static RewarmSetting full(long seed) {
        return new RewarmSetting(500_000, 24, 256, 100, 64, 16, new int[] {256}, 3e-3, 100, seed);
    }

    /** {@code --quick}: 150 KB per domain, 32 bytes of context (docs/reproductions.md has its timing). */
    static RewarmSetting quick(long seed) {
        return new RewarmSetting(150_000, 12, 256, 100, 32, 16, new int[] {256}, 3e-3, 30, seed);
    }

    /**
     * {@code --model transformer}: 2 layers, width 128, 4 heads, 128 bytes of context, 400 KB per domain
     * (docs/reproductions.md has the timing).
     */
    static RewarmSetting transformer(long seed) {
        return new RewarmSetting(400_000, 8, 128, 20, 128, 0, new int[0], 2e-3, 40, seed, new Transformer(128, 4, 2));
    }

    /** {@code --model transformer --quick}: width 64, 64 bytes of context, 100 KB per domain. */
    static RewarmSetting transformerQuick(long seed) {
        return new RewarmSetting(100_000, 6, 96, 20, 64, 0, new int[0], 3e-3, 15, seed, new Transformer(64, 4, 2));
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** Bytes one sample trains on: 1 for the MLP (one next byte), the context for the Transformer (every position). */
    int bytesPerSample() {
        return transformer == null ? 1 : context;
    }

    /** The learner's model, with buffers for one batch. */
    io.clpipe.models.ModelSpec modelSpec() {
        return transformer == null ? new io.clpipe.models.ModelSpec.ByteLm(context, embed, hidden, batch)
                : new io.clpipe.models.ModelSpec.ByteTransformer(context, transformer.width(), transformer.heads(), transformer.layers(), batch);
    }

    /** Steps per domain phase, the same for every arm. */
    long stepsPerPhase() {
        return phaseBytes / ((long) batch * bytesPerSample());
    }

    /** Validation windows per domain: what the evaluator scores. */
    int evalWindows() {
        return evalDocs * evalBytes;
    }

    long parameters() {
        if (transformer != null) {
            return io.clpipe.models.ParameterLayout.of(modelSpec()).size();
        }
        long p = 256L * embed;
        int in = context * embed;
        for (int h : hidden) {
            p += (long) in * h + h;
            in = h;
        }
        return p + (long) in * 256 + 256;
    }

    String describe() {
        if (transformer != null) {
            return String.format(Locale.ROOT, "causal pre-norm Transformer byte LM (%d layers, width %d, %d heads, context %d bytes, %,d "
                            + "parameters), AdamW peak lr %.2g (floor %.2g), batch %d windows of %d bytes; EN man pages (Debian manpages, "
                            + "manpages-dev) then DE (manpages-de), %,d training bytes per domain (%,d steps each, every arm); validation on %d "
                            + "held-out documents × %d bytes per domain; evaluated every %d steps; seed %d",
                    transformer.layers(), transformer.width(), transformer.heads(), context, parameters(), lr, lr / 10, batch, context,
                    phaseBytes, stepsPerPhase(), evalDocs, evalBytes, evalEvery, seed);
        }
        return String.format(Locale.ROOT, "byte-level LM (context %d bytes, embedding %d, hidden %s, %,d parameters), AdamW peak lr %.2g "
                        + "(floor %.2g), batch %d windows; EN man pages (Debian manpages, manpages-dev) then DE (manpages-de), %,d training "
                        + "bytes per domain (%,d steps each, every arm); validation on %d held-out documents × %d bytes per domain; "
                        + "evaluated every %d steps; seed %d",
                context, embed, Arrays.toString(hidden), parameters(), lr, lr / 10, batch, phaseBytes, stepsPerPhase(), evalDocs, evalBytes,
                evalEvery, seed);
    }
}
