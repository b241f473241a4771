package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.EvalSample;
import io.clpipe.evaluator.engine.EvalSetKey;
import io.clpipe.schemas.AtomicFiles;
import io.clpipe.schemas.ChecksummedFrame;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The eval sets, durable: {@code <state dir>/eval-sets.bin} holds every eval sample each (stream,
 * task) set took, in the order it took them, and the eval-topic positions up to which they were
 * read. A restart offers them again (rebuilding the very same sets and fixed subsets) and reads the
 * eval topic on from those positions, so sets survive the eval topic's retention
 * (docs/operations.md, "Eval sets"). Written atomically, checksummed.
 */
final class EvalSetFile {

    static final String FILE_NAME = "eval-sets.bin";
    private static final int MAGIC = 0x434c4553; // "CLES"
    private static final int FORMAT = 1;

    /** What the file holds. */
    record Saved(String evalTopic, Map<Integer, Long> positions, Map<EvalSetKey, List<EvalSample>> sets) {

        int samples() {
            return sets.values().stream().mapToInt(List::size).sum();
        }
    }

    private final Path file;

    EvalSetFile(Path stateDir) {
        this.file = stateDir.resolve(FILE_NAME);
    }

    Path file() {
        return file;
    }

    void save(Saved saved) {
        try {
            AtomicFiles.write(file, encode(saved));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * The saved sets, or empty if none were saved.
     *
     * @throws IllegalArgumentException if the file is unreadable (checksum, truncation, format)
     */
    Optional<Saved> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
        }
    }

    static byte[] encode(Saved s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(s.evalTopic());
            out.writeInt(s.positions().size());
            for (Map.Entry<Integer, Long> p : new TreeMap<>(s.positions()).entrySet()) {
                out.writeInt(p.getKey());
                out.writeLong(p.getValue());
            }
            out.writeInt(s.sets().size());
            for (Map.Entry<EvalSetKey, List<EvalSample>> set : s.sets().entrySet()) {
                out.writeUTF(set.getKey().stream());
                out.writeUTF(set.getKey().task());
                out.writeInt(set.getValue().size());
                for (EvalSample sample : set.getValue()) {
                    ByteBuffer row = ByteBuffer.allocate(Float.BYTES * sample.features().length);
                    row.asFloatBuffer().put(sample.features());
                    out.writeInt(sample.features().length);
                    out.write(row.array());
                    out.writeInt(sample.label());
                }
            }
        }
        return ChecksummedFrame.seal(MAGIC, FORMAT, bytes.toByteArray());
    }

    static Saved decode(byte[] data) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(
                ChecksummedFrame.open(MAGIC, FORMAT, data, "eval-set file")))) {
            String topic = in.readUTF();
            Map<Integer, Long> positions = new TreeMap<>();
            for (int n = in.readInt(), i = 0; i < n; i++) {
                positions.put(in.readInt(), in.readLong());
            }
            Map<EvalSetKey, List<EvalSample>> sets = new LinkedHashMap<>();
            for (int n = in.readInt(), i = 0; i < n; i++) {
                EvalSetKey key = new EvalSetKey(in.readUTF(), in.readUTF());
                int count = in.readInt();
                List<EvalSample> samples = new ArrayList<>(count);
                for (int j = 0; j < count; j++) {
                    byte[] raw = new byte[Float.BYTES * in.readInt()];
                    in.readFully(raw);
                    float[] features = new float[raw.length / Float.BYTES];
                    ByteBuffer.wrap(raw).asFloatBuffer().get(features);
                    samples.add(new EvalSample(features, in.readInt()));
                }
                sets.put(key, samples);
            }
            return new Saved(topic, positions, sets);
        }
    }
}
