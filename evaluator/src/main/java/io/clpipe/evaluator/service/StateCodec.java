package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.EngineConfig;
import io.clpipe.evaluator.engine.EngineState;
import io.clpipe.evaluator.engine.StabilityGap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The binary state file:
 * <pre>
 *   "CLEV"  magic, 4 bytes
 *   int     format version (1)
 *   int     body length
 *   body    DataOutput encoding of {@link EvaluatorState} (strings as modified UTF-8; nullable values
 *           preceded by a presence byte; lists by their size)
 *   int     CRC-32C of everything before it
 * </pre>
 * Decoding refuses a wrong magic, a newer version, a length or checksum mismatch, a truncated body
 * and bytes left over, with {@link StateCorruptException}.
 */
final class StateCodec {

    static final int VERSION = 1;
    private static final byte[] MAGIC = "CLEV".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = MAGIC.length + 2 * Integer.BYTES;

    private StateCodec() {
    }

    static byte[] encode(EvaluatorState state) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(4096);
        try {
            writeBody(new DataOutputStream(body), state);
            ByteArrayOutputStream file = new ByteArrayOutputStream(body.size() + HEADER + Integer.BYTES);
            DataOutputStream out = new DataOutputStream(file);
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(body.size());
            body.writeTo(out);
            out.writeInt((int) crc(file.toByteArray(), file.size()));
            return file.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EvaluatorState decode(byte[] bytes) throws StateCorruptException {
        if (bytes.length < HEADER + Integer.BYTES) {
            throw new StateCorruptException("state file is " + bytes.length + " bytes, shorter than its header");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[MAGIC.length];
        header.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new StateCorruptException("not an evaluator state file (magic " + new String(magic, StandardCharsets.ISO_8859_1) + ")");
        }
        int version = header.getInt();
        if (version != VERSION) {
            throw new StateCorruptException("state format version " + version + (version > VERSION
                    ? " was written by a newer build; this build reads " + VERSION : " is unknown"));
        }
        int length = header.getInt();
        if (length < 0 || (long) HEADER + length + Integer.BYTES != bytes.length) {
            throw new StateCorruptException("state body length " + length + " does not match the file size " + bytes.length);
        }
        int stored = ByteBuffer.wrap(bytes, HEADER + length, Integer.BYTES).getInt();
        int actual = (int) crc(bytes, HEADER + length);
        if (stored != actual) {
            throw new StateCorruptException("state checksum mismatch: stored " + Integer.toHexString(stored)
                    + ", computed " + Integer.toHexString(actual));
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, HEADER, length));
        try {
            EvaluatorState state = readBody(in);
            if (in.available() > 0) {
                throw new StateCorruptException(in.available() + " unexpected bytes after the state body");
            }
            return state;
        } catch (EOFException e) {
            throw new StateCorruptException("state body is truncated");
        } catch (IOException | IllegalArgumentException e) {
            throw new StateCorruptException("state body is invalid: " + e.getMessage());
        }
    }

    private static long crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }

    private static void writeBody(DataOutputStream out, EvaluatorState s) throws IOException {
        out.writeUTF(s.modelsTopic());
        out.writeUTF(s.groupId());
        writeOffsets(out, s.modelsOffsets());
        writeOffsets(out, s.metricsPositions());
        out.writeInt(s.streams().size());
        for (EvaluatorState.StreamProgress p : s.streams()) {
            out.writeUTF(p.stream());
            out.writeLong(p.lastEvaluated());
            out.writeLong(p.latestSeen());
            writeNullableString(out, p.lastTask());
            out.writeBoolean(p.engine() != null);
            if (p.engine() != null) {
                writeEngine(out, p.engine());
            }
        }
        out.writeInt(s.fingerprints().size());
        for (EvaluatorState.SubsetFingerprint f : s.fingerprints()) {
            out.writeUTF(f.stream());
            out.writeUTF(f.task());
            out.writeInt(f.size());
            out.writeLong(f.crc32c());
        }
    }

    private static EvaluatorState readBody(DataInputStream in) throws IOException {
        String topic = in.readUTF();
        String group = in.readUTF();
        Map<Integer, Long> offsets = readOffsets(in);
        Map<Integer, Long> positions = readOffsets(in);
        int streamCount = count(in);
        List<EvaluatorState.StreamProgress> streams = new ArrayList<>(streamCount);
        for (int i = 0; i < streamCount; i++) {
            String stream = in.readUTF();
            long lastEvaluated = in.readLong();
            long latestSeen = in.readLong();
            String lastTask = readNullableString(in);
            EngineState engine = in.readBoolean() ? readEngine(in) : null;
            streams.add(new EvaluatorState.StreamProgress(stream, lastEvaluated, latestSeen, lastTask, engine));
        }
        int fingerprintCount = count(in);
        List<EvaluatorState.SubsetFingerprint> fingerprints = new ArrayList<>(fingerprintCount);
        for (int i = 0; i < fingerprintCount; i++) {
            fingerprints.add(new EvaluatorState.SubsetFingerprint(in.readUTF(), in.readUTF(), in.readInt(), in.readLong()));
        }
        return new EvaluatorState(topic, group, offsets, positions, streams, fingerprints);
    }

    private static void writeEngine(DataOutputStream out, EngineState e) throws IOException {
        EngineConfig c = e.config();
        out.writeUTF(c.direction().label());
        writeList(out, c.windows(), DataOutputStream::writeInt);
        out.writeInt(c.lcaBeta());
        out.writeDouble(c.recoveryTolerance());
        out.writeInt(c.gapHistory());
        out.writeLong(e.lastIteration());
        writeNullableString(out, e.currentTask());
        out.writeInt(e.lastScores().size());
        for (Map.Entry<String, Double> score : e.lastScores().entrySet()) {
            out.writeUTF(score.getKey());
            out.writeDouble(score.getValue());
        }
        out.writeInt(e.tasks().size());
        for (EngineState.Task t : e.tasks()) {
            out.writeUTF(t.id());
            out.writeInt(t.learnOrder());
            writeNullableDouble(out, t.latest());
            out.writeLong(t.latestIteration());
            writeNullableDouble(out, t.worstSinceEnd());
            writeNullableDouble(out, t.initial());
            writeList(out, t.recentGoodness(), DataOutputStream::writeDouble);
            writeList(out, t.maxDrop(), DataOutputStream::writeDouble);
            writeList(out, t.maxRise(), DataOutputStream::writeDouble);
            out.writeInt(t.curveCount());
            out.writeDouble(t.curveSum());
        }
        out.writeInt(e.matrix().size());
        for (EngineState.Cell cell : e.matrix()) {
            out.writeUTF(cell.learningTask());
            out.writeUTF(cell.evalTask());
            out.writeDouble(cell.score());
        }
        out.writeInt(e.openGaps().size());
        for (EngineState.OpenGap g : e.openGaps()) {
            out.writeLong(g.boundaryIteration());
            out.writeUTF(g.task());
            out.writeDouble(g.before());
            out.writeLong(g.beforeIteration());
            writeNullableDouble(out, g.worst());
            writeNullableLong(out, g.worstIteration());
            out.writeBoolean(g.left());
            writeNullableLong(out, g.recoveredAt());
        }
        out.writeInt(e.closedGaps().size());
        for (StabilityGap g : e.closedGaps()) {
            out.writeLong(g.boundaryIteration());
            out.writeUTF(g.task());
            out.writeDouble(g.before());
            out.writeLong(g.beforeIteration());
            writeNullableDouble(out, g.worst());
            writeNullableLong(out, g.worstIteration());
            writeNullableDouble(out, g.depth());
            writeNullableLong(out, g.recoveryIterations());
            out.writeBoolean(g.open());
        }
    }

    private static EngineState readEngine(DataInputStream in) throws IOException {
        EngineConfig config = new EngineConfig(Direction.parse(in.readUTF()), readList(in, DataInputStream::readInt), in.readInt(), in.readDouble(),
                in.readInt());
        long lastIteration = in.readLong();
        String current = readNullableString(in);
        int scoreCount = count(in);
        Map<String, Double> scores = new LinkedHashMap<>();
        for (int i = 0; i < scoreCount; i++) {
            scores.put(in.readUTF(), in.readDouble());
        }
        int taskCount = count(in);
        List<EngineState.Task> tasks = new ArrayList<>(taskCount);
        for (int i = 0; i < taskCount; i++) {
            tasks.add(new EngineState.Task(in.readUTF(), in.readInt(), readNullableDouble(in), in.readLong(),
                    readNullableDouble(in), readNullableDouble(in), readList(in, DataInputStream::readDouble), readList(in, DataInputStream::readDouble), readList(in, DataInputStream::readDouble),
                    in.readInt(), in.readDouble()));
        }
        int cellCount = count(in);
        List<EngineState.Cell> cells = new ArrayList<>(cellCount);
        for (int i = 0; i < cellCount; i++) {
            cells.add(new EngineState.Cell(in.readUTF(), in.readUTF(), in.readDouble()));
        }
        int openCount = count(in);
        List<EngineState.OpenGap> open = new ArrayList<>(openCount);
        for (int i = 0; i < openCount; i++) {
            open.add(new EngineState.OpenGap(in.readLong(), in.readUTF(), in.readDouble(), in.readLong(),
                    readNullableDouble(in), readNullableLong(in), in.readBoolean(), readNullableLong(in)));
        }
        int closedCount = count(in);
        List<StabilityGap> closed = new ArrayList<>(closedCount);
        for (int i = 0; i < closedCount; i++) {
            closed.add(new StabilityGap(in.readLong(), in.readUTF(), in.readDouble(), in.readLong(), readNullableDouble(in),
                    readNullableLong(in), readNullableDouble(in), readNullableLong(in), in.readBoolean()));
        }
        return new EngineState(config, lastIteration, current, scores, tasks, cells, open, closed);
    }

    private static void writeOffsets(DataOutputStream out, Map<Integer, Long> offsets) throws IOException {
        out.writeInt(offsets.size());
        for (Map.Entry<Integer, Long> e : offsets.entrySet()) {
            out.writeInt(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    private static Map<Integer, Long> readOffsets(DataInputStream in) throws IOException {
        int n = count(in);
        Map<Integer, Long> out = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            out.put(in.readInt(), in.readLong());
        }
        return out;
    }

    /** Writes one value of a field. */
    private interface FieldWriter<T> {
        void write(DataOutputStream out, T value) throws IOException;
    }

    /** Reads one value of a field. */
    private interface FieldReader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static <T> void writeList(DataOutputStream out, List<T> values, FieldWriter<T> writer) throws IOException {
        out.writeInt(values.size());
        for (T v : values) {
            writer.write(out, v);
        }
    }

    private static <T> List<T> readList(DataInputStream in, FieldReader<T> reader) throws IOException {
        int n = count(in);
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(reader.read(in));
        }
        return out;
    }

    private static <T> void writeNullable(DataOutputStream out, T value, FieldWriter<T> writer) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            writer.write(out, value);
        }
    }

    private static <T> T readNullable(DataInputStream in, FieldReader<T> reader) throws IOException {
        return in.readBoolean() ? reader.read(in) : null;
    }

    private static void writeNullableString(DataOutputStream out, String value) throws IOException {
        writeNullable(out, value, DataOutputStream::writeUTF);
    }

    private static String readNullableString(DataInputStream in) throws IOException {
        return readNullable(in, i -> i.readUTF());
    }

    private static void writeNullableDouble(DataOutputStream out, Double value) throws IOException {
        writeNullable(out, value, DataOutputStream::writeDouble);
    }

    private static Double readNullableDouble(DataInputStream in) throws IOException {
        return readNullable(in, DataInputStream::readDouble);
    }

    private static void writeNullableLong(DataOutputStream out, Long value) throws IOException {
        writeNullable(out, value, DataOutputStream::writeLong);
    }

    private static Long readNullableLong(DataInputStream in) throws IOException {
        return readNullable(in, DataInputStream::readLong);
    }

    /** A list size; every element takes at least one byte, so a larger one is corruption. */
    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("count " + n + " does not fit the " + in.available() + " bytes left");
        }
        return n;
    }
}
