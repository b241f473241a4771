package io.clpipe.evaluator.service;

import io.clpipe.schemas.avro.TaskMetrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scorer's answer to a {@link ScoreRequest}, on the scores topic keyed by stream: the snapshot's
 * score on each task it lists (accuracy and loss null with 0 samples for a task that cannot be scored,
 * as the evaluator reports it), or why the snapshot could not be scored at all.
 *
 * @param scorer which scorer answered (its transactional id), for logs and audits
 * @param error  null, or why the snapshot is not a scorable model (then {@code tasks} is empty)
 */
record ScoreReply(String stream, long version, int partition, long lastOffset, String scorer, String error,
                  Map<String, TaskMetrics> tasks) {

    private static final int MAGIC = 0x434c5352; // "CLSR"
    private static final int FORMAT = 1;

    ScoreReply {
        tasks = Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
    }

    static ScoreReply scored(ScoreRequest request, String scorer, Map<String, TaskMetrics> tasks) {
        return new ScoreReply(request.stream(), request.version(), request.partition(), request.lastOffset(), scorer, null, tasks);
    }

    static ScoreReply failed(ScoreRequest request, String scorer, String error) {
        return new ScoreReply(request.stream(), request.version(), request.partition(), request.lastOffset(), scorer, error,
                Map.of());
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 48 * tasks.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(stream);
            out.writeLong(version);
            out.writeInt(partition);
            out.writeLong(lastOffset);
            out.writeUTF(scorer);
            out.writeBoolean(error != null);
            if (error != null) {
                out.writeUTF(error.length() > 8_000 ? error.substring(0, 8_000) : error);
            }
            out.writeInt(tasks.size());
            for (Map.Entry<String, TaskMetrics> e : tasks.entrySet()) {
                out.writeUTF(e.getKey());
                writeNullable(out, e.getValue().getAccuracy());
                writeNullable(out, e.getValue().getLoss());
                out.writeLong(e.getValue().getSamples());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException if the bytes are not a score reply of this format */
    static ScoreReply decode(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a clpipe score reply");
            }
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("score reply format " + format + ", this evaluator reads " + FORMAT);
            }
            String stream = in.readUTF();
            long version = in.readLong();
            int partition = in.readInt();
            long lastOffset = in.readLong();
            String scorer = in.readUTF();
            String error = in.readBoolean() ? in.readUTF() : null;
            int n = in.readInt();
            if (n < 0 || n > 100_000) {
                throw new IllegalArgumentException("score reply lists " + n + " tasks");
            }
            Map<String, TaskMetrics> tasks = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                tasks.put(in.readUTF(), new TaskMetrics(readNullable(in), readNullable(in), in.readLong()));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("score reply has " + in.available() + " trailing bytes");
            }
            return new ScoreReply(stream, version, partition, lastOffset, scorer, error, tasks);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated score reply", e);
        }
    }

    private static void writeNullable(DataOutputStream out, Double value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeDouble(value);
        }
    }

    private static Double readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }
}
