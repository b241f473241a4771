package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.EvalSetConfig;
import io.clpipe.evaluator.engine.SubsetMode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One snapshot version to score, as an evaluator in spread mode asks its scorers on the score-requests
 * topic (docs/architecture.md, "Spread scoring"): where the snapshot lies on the models topic (a chunked
 * snapshot spans several offsets) and the eval-set settings to score it with, so every scorer draws the
 * very subsets the evaluator would. The snapshot itself stays on the models topic.
 *
 * @param firstOffset models-topic offset of the snapshot's record (its first chunk)
 * @param lastOffset  offset of its last record (equal to {@code firstOffset} when not chunked)
 */
record ScoreRequest(String stream, long version, int partition, long firstOffset, long lastOffset, EvalSettings eval) {

    private static final int MAGIC = 0x434c5351; // "CLSQ"
    private static final int FORMAT = 1;

    ScoreRequest {
        if (firstOffset < 0 || lastOffset < firstOffset || partition < 0) {
            throw new IllegalArgumentException("bad models-topic range " + partition + "@" + firstOffset + ".." + lastOffset);
        }
    }

    /**
     * The eval-set settings a score depends on. Only fixed subsets: a resampled subset is drawn anew at
     * every evaluation, so two scorers would not score the same samples.
     */
    record EvalSettings(int setSize, int reservoirSize, long seed, int textContext) {

        static EvalSettings of(EvaluatorServiceConfig config) {
            return new EvalSettings(config.evalSetSize(), config.reservoirSize(), config.seed(), config.textContext());
        }

        EvalSetConfig evalSetConfig() {
            return new EvalSetConfig(reservoirSize, setSize, SubsetMode.FIXED, seed);
        }
    }

    /** Identifies the reply: the same snapshot at the same place. */
    boolean answeredBy(ScoreReply reply) {
        return reply.stream().equals(stream) && reply.version() == version && reply.partition() == partition
                && reply.lastOffset() == lastOffset;
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + stream.length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(stream);
            out.writeLong(version);
            out.writeInt(partition);
            out.writeLong(firstOffset);
            out.writeLong(lastOffset);
            out.writeInt(eval.setSize());
            out.writeInt(eval.reservoirSize());
            out.writeLong(eval.seed());
            out.writeInt(eval.textContext());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException if the bytes are not a score request of this format */
    static ScoreRequest decode(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a clpipe score request");
            }
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("score request format " + format + ", this scorer reads " + FORMAT);
            }
            ScoreRequest r = new ScoreRequest(in.readUTF(), in.readLong(), in.readInt(), in.readLong(), in.readLong(),
                    new EvalSettings(in.readInt(), in.readInt(), in.readLong(), in.readInt()));
            if (in.available() > 0) {
                throw new IllegalArgumentException("score request has " + in.available() + " trailing bytes");
            }
            return r;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated score request", e);
        }
    }
}
