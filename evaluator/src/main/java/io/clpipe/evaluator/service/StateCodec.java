package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.BinaryFields;
import io.clpipe.evaluator.engine.EngineState;
import io.clpipe.evaluator.engine.EngineStateCodec;
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
            BinaryFields.writeNullableString(out, p.lastTask());
            out.writeBoolean(p.engine() != null);
            if (p.engine() != null) {
                EngineStateCodec.write(out, p.engine());
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
        int streamCount = BinaryFields.count(in);
        List<EvaluatorState.StreamProgress> streams = new ArrayList<>(streamCount);
        for (int i = 0; i < streamCount; i++) {
            String stream = in.readUTF();
            long lastEvaluated = in.readLong();
            long latestSeen = in.readLong();
            String lastTask = BinaryFields.readNullableString(in);
            EngineState engine = in.readBoolean() ? EngineStateCodec.read(in) : null;
            streams.add(new EvaluatorState.StreamProgress(stream, lastEvaluated, latestSeen, lastTask, engine));
        }
        int fingerprintCount = BinaryFields.count(in);
        List<EvaluatorState.SubsetFingerprint> fingerprints = new ArrayList<>(fingerprintCount);
        for (int i = 0; i < fingerprintCount; i++) {
            fingerprints.add(new EvaluatorState.SubsetFingerprint(in.readUTF(), in.readUTF(), in.readInt(), in.readLong()));
        }
        return new EvaluatorState(topic, group, offsets, positions, streams, fingerprints);
    }

    private static void writeOffsets(DataOutputStream out, Map<Integer, Long> offsets) throws IOException {
        out.writeInt(offsets.size());
        for (Map.Entry<Integer, Long> e : offsets.entrySet()) {
            out.writeInt(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    private static Map<Integer, Long> readOffsets(DataInputStream in) throws IOException {
        int n = BinaryFields.count(in);
        Map<Integer, Long> out = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            out.put(in.readInt(), in.readLong());
        }
        return out;
    }
}
