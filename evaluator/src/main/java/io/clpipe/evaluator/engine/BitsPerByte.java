package io.clpipe.evaluator.engine;

/**
 * A byte-level language model's loss in bits per byte: its mean cross-entropy per predicted byte
 * (natural log) divided by ln 2. A uniform guess over the 256 byte values scores exactly 8.
 */
public final class BitsPerByte {

    private static final double LN_2 = Math.log(2);

    private BitsPerByte() {
    }

    public static double fromNats(double natsPerByte) {
        return natsPerByte / LN_2;
    }
}
