package io.clpipe.learner.engine.checkpoint;

import io.clpipe.learner.engine.Sample;
import io.clpipe.learner.engine.replay.ReplayPolicy;
import io.clpipe.learner.engine.replay.ReplayState;
import io.clpipe.learner.engine.schedule.SchedulePosition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint file format, version 1 (big-endian):
 * <pre>
 * magic    8 bytes "CLPIPECK"
 * version  int32
 * section* name (uint16 length + ASCII), payload length (int64), payload
 *          sections: meta, params, optimizer, schedule, rng, caller, [replay], [reptile], end (empty)
 * trailer  SHA-256 of every byte before it (32 bytes)
 * </pre>
 * Decoding verifies the checksum over every byte before parsing anything. Where the bytes are kept
 * (a file written atomically, chunk records on a topic) is the service's business.
 */
public final class CheckpointCodec {

    static final byte[] MAGIC = "CLPIPECK".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    private static final int DIGEST_BYTES = 32;
    private static final int HEADER_BYTES = MAGIC.length + Integer.BYTES;
    private static final byte DENSE = 0;
    private static final byte BYTES = 1;

    private CheckpointCodec() {
    }

    /**
     * The bytes of a checkpoint in this format, trailer included: what {@link #write} puts in a file and
     * what other stores (a Kafka topic) keep.
     */
    public static byte[] encode(LearnerState state) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, state.parameters().length * 4 * 2));
            MessageDigest sha = sha256();
            DataOutputStream out = new DataOutputStream(new DigestOutputStream(bytes, sha));
            out.write(MAGIC);
            out.writeInt(VERSION);
            for (Map.Entry<String, SectionWriter> section : sections(state).entrySet()) {
                section.getValue().writeTo(section.getKey(), out);
            }
            new SectionWriter().writeTo("end", out);
            out.flush();
            bytes.write(sha.digest());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
    }

    /**
     * Verifies and parses checkpoint bytes; any damage raises {@link CheckpointCorruptException} naming
     * {@code source} (a file, or a stream's generation in another store).
     */
    public static LearnerState decode(String source, byte[] bytes) throws CheckpointCorruptException {
        long size = bytes.length;
        if (size < HEADER_BYTES + DIGEST_BYTES) {
            throw new CheckpointCorruptException(source, size + " bytes, too short for a checkpoint (truncated?)");
        }
        verifyChecksum(source, bytes);
        Map<String, byte[]> sections = new HashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - DIGEST_BYTES))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CheckpointCorruptException(source, "bad magic, not a clpipe checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new CheckpointCorruptException(source, "format version " + version + ", this build reads " + VERSION);
            }
            long remaining = size - HEADER_BYTES - DIGEST_BYTES;
            while (true) {
                int nameLength = in.readUnsignedShort();
                String name = new String(in.readNBytes(nameLength), StandardCharsets.US_ASCII);
                long length = in.readLong();
                remaining -= 2 + nameLength + 8;
                if (length < 0 || length > remaining || length > Integer.MAX_VALUE - 16) {
                    throw new CheckpointCorruptException(source, "section '" + name + "' claims " + length + " bytes, "
                            + Math.max(remaining, 0) + " left");
                }
                if (name.equals("end")) {
                    if (length != 0 || remaining != 0) {
                        throw new CheckpointCorruptException(source, remaining + " bytes after the end section");
                    }
                    break;
                }
                if (sections.put(name, in.readNBytes((int) length)) != null) {
                    throw new CheckpointCorruptException(source, "section '" + name + "' appears twice");
                }
                remaining -= length;
            }
        } catch (EOFException e) {
            throw new CheckpointCorruptException(source, "ends inside a section header", e);
        } catch (CheckpointCorruptException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
        return parse(source, sections);
    }

    private static void verifyChecksum(String source, byte[] bytes) throws CheckpointCorruptException {
        MessageDigest sha = sha256();
        sha.update(bytes, 0, bytes.length - DIGEST_BYTES);
        byte[] stored = Arrays.copyOfRange(bytes, bytes.length - DIGEST_BYTES, bytes.length);
        byte[] computed = sha.digest();
        if (!MessageDigest.isEqual(stored, computed)) {
            throw new CheckpointCorruptException(source, "SHA-256 checksum mismatch (stored " + hex(stored) + ", computed "
                    + hex(computed) + "): the checkpoint is truncated or corrupted");
        }
    }

    private static Map<String, SectionWriter> sections(LearnerState s) {
        Map<String, SectionWriter> out = new LinkedHashMap<>();
        SectionWriter meta = new SectionWriter().writeString(s.modelSpec()).writeLong(s.iteration())
                .writeDouble(s.lastLoss()).writeDouble(s.lrScale()).writeInt(s.currentTask())
                .writeInt(s.seenTasks().length);
        Arrays.stream(s.seenTasks()).forEach(meta::writeInt);
        out.put("meta", meta);
        out.put("params", new SectionWriter().writeFloats(s.parameters()));

        SectionWriter opt = new SectionWriter().writeString(s.optimizer().kind()).writeLong(s.optimizer().stepCount())
                .writeInt(s.optimizer().vectors().size());
        s.optimizer().vectors().forEach(opt::writeFloats);
        out.put("optimizer", opt);

        SchedulePosition p = s.schedule();
        out.put("schedule", new SectionWriter().writeLong(p.step()).writeLong(p.samples()).writeDouble(p.peak())
                .writeLong(p.warmup()).writeInt(p.restarts()).writeLong(p.annealStep()));

        SectionWriter rng = new SectionWriter().writeInt(s.rng().length);
        Arrays.stream(s.rng()).forEach(rng::writeLong);
        out.put("rng", rng);

        SectionWriter caller = new SectionWriter().writeInt(s.callerData().size());
        s.callerData().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> caller.writeString(e.getKey()).writeString(e.getValue()));
        out.put("caller", caller);

        if (s.replay() != null) {
            out.put("replay", replaySection(s.replay()));
        }
        if (s.reptileAnchor() != null) {
            out.put("reptile", new SectionWriter().writeFloats(s.reptileAnchor()));
        }
        return out;
    }

    private static SectionWriter replaySection(ReplayState r) {
        SectionWriter w = new SectionWriter().writeString(r.policy().name()).writeInt(r.capacity())
                .writeInt(r.groups().size());
        for (ReplayState.Group g : r.groups()) {
            w.writeInt(g.key()).writeLong(g.seen()).writeInt(g.samples().size());
            for (Sample sample : g.samples()) {
                w.writeInt(sample.label()).writeInt(sample.task());
                if (sample instanceof Sample.Dense d) {
                    w.writeByte(DENSE).writeFloats(d.features());
                } else if (sample instanceof Sample.Bytes b) {
                    w.writeByte(BYTES).writeBytes(b.window());
                }
            }
        }
        return w;
    }

    private static LearnerState parse(String file, Map<String, byte[]> sections) throws CheckpointCorruptException {
        String current = "meta";
        try {
            SectionReader meta = section(file, sections, current);
            String spec = meta.readString("model spec");
            long iteration = meta.readLong();
            double lastLoss = meta.readDouble();
            double lrScale = meta.readDouble();
            int currentTask = meta.readInt();
            int[] seen = new int[meta.readCount("seen tasks", Integer.BYTES)];
            for (int i = 0; i < seen.length; i++) {
                seen[i] = meta.readInt();
            }
            meta.expectEnd(current);

            current = "params";
            SectionReader params = section(file, sections, current);
            float[] parameters = params.readFloats("parameters");
            params.expectEnd(current);

            current = "optimizer";
            SectionReader opt = section(file, sections, current);
            String kind = opt.readString("optimizer kind");
            long steps = opt.readLong();
            int count = opt.readCount("optimizer vectors", Integer.BYTES);
            List<float[]> vectors = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                vectors.add(opt.readFloats("optimizer vector"));
            }
            opt.expectEnd(current);

            current = "schedule";
            SectionReader sch = section(file, sections, current);
            SchedulePosition position = new SchedulePosition(sch.readLong(), sch.readLong(), sch.readDouble(),
                    sch.readLong(), sch.readInt(), sch.readLong());
            sch.expectEnd(current);

            current = "rng";
            SectionReader r = section(file, sections, current);
            long[] rng = new long[r.readCount("rng words", Long.BYTES)];
            for (int i = 0; i < rng.length; i++) {
                rng[i] = r.readLong();
            }
            r.expectEnd(current);

            current = "caller";
            SectionReader c = section(file, sections, current);
            int entries = c.readCount("caller entries", 2 * Integer.BYTES);
            Map<String, String> callerData = new HashMap<>();
            for (int i = 0; i < entries; i++) {
                callerData.put(c.readString("caller key"), c.readString("caller value"));
            }
            c.expectEnd(current);

            current = "replay";
            ReplayState replay = sections.containsKey(current) ? parseReplay(section(file, sections, current)) : null;

            current = "reptile";
            float[] anchor = null;
            if (sections.containsKey(current)) {
                SectionReader a = section(file, sections, current);
                anchor = a.readFloats("anchor");
                a.expectEnd(current);
            }
            return new LearnerState(spec, iteration, lastLoss, lrScale, currentTask, seen, parameters,
                    new LearnerState.OptimizerState(kind, steps, vectors), position, replay, anchor, rng, callerData);
        } catch (SectionReader.Malformed | IllegalArgumentException e) {
            throw new CheckpointCorruptException(file, "section '" + current + "': " + e.getMessage(), e);
        }
    }

    private static ReplayState parseReplay(SectionReader r) {
        ReplayPolicy policy = ReplayPolicy.valueOf(r.readString("replay policy"));
        int capacity = r.readInt();
        int groupCount = r.readCount("replay groups", 16);
        List<ReplayState.Group> groups = new ArrayList<>(groupCount);
        for (int gi = 0; gi < groupCount; gi++) {
            int key = r.readInt();
            long seen = r.readLong();
            int n = r.readCount("samples", 13);
            List<Sample> samples = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int label = r.readInt();
                int task = r.readInt();
                byte tag = r.readByte();
                samples.add(switch (tag) {
                    case DENSE -> Sample.dense(r.readFloats("features"), label, task);
                    case BYTES -> Sample.bytes(r.readBytes("window"), label, task);
                    default -> throw new SectionReader.Malformed("unknown sample layout " + tag);
                });
            }
            groups.add(new ReplayState.Group(key, seen, samples));
        }
        r.expectEnd("replay");
        return new ReplayState(policy, capacity, groups);
    }

    private static SectionReader section(String file, Map<String, byte[]> sections, String name) {
        byte[] bytes = sections.get(name);
        if (bytes == null) {
            throw new SectionReader.Malformed("missing");
        }
        return new SectionReader(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 8); i++) {
            s.append(String.format("%02x", b[i]));
        }
        return s.append(b.length > 8 ? "…" : "").toString();
    }
}
