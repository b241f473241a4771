package io.clpipe.evaluator.service;

import io.clpipe.schemas.AtomicFiles;
import io.clpipe.schemas.ChecksummedFrame;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models the evaluator keeps for forward transfer (docs/metrics.md, "FWT in the service"), one
 * file each in {@code <state dir>/held-models/}: each stream's initial model (version 0) and, per
 * task whose eval set did not exist yet when the previous task ended, that task's last model. Files
 * are immutable, written atomically when a model is kept and deleted once it is no longer needed, so
 * a restart finds exactly the models still waiting to be scored.
 */
final class HeldModelStore {

    private static final Logger log = LoggerFactory.getLogger(HeldModelStore.class);
    private static final int MAGIC = 0x434c484d; // "CLHM"
    private static final int FORMAT = 1;
    static final String DIRECTORY = "held-models";

    /**
     * A kept model.
     *
     * @param forTask      null for the initial model; else the task this model (the last of
     *                     {@code learningTask}) is to be scored on once its eval set exists
     * @param learningTask the task the model was learning (the snapshot's task label)
     */
    record HeldModel(String stream, long version, String learningTask, String forTask, String specText, float[] parameters) {

        String fileName() {
            HexFormat hex = HexFormat.of();
            String what = forTask == null ? "initial" : "next-" + hex.formatHex(forTask.getBytes(StandardCharsets.UTF_8));
            return hex.formatHex(stream.getBytes(StandardCharsets.UTF_8)) + "-" + what + ".bin";
        }
    }

    private final Path directory;

    HeldModelStore(Path stateDir) {
        this.directory = stateDir.resolve(DIRECTORY);
    }

    void write(HeldModel m) {
        try {
            AtomicFiles.write(directory.resolve(m.fileName()), encode(m));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a held model to " + directory, e);
        }
    }

    void delete(HeldModel m) {
        try {
            Files.deleteIfExists(directory.resolve(m.fileName()));
        } catch (IOException e) {
            log.warn("Could not delete the held model {} (it is scored already; harmless): {}", m.fileName(), e.toString());
        }
    }

    /** Every readable held model; unreadable files are reported and skipped (their transfer scores stay unknown). */
    List<HeldModel> readAll() {
        List<HeldModel> out = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.bin")) {
            for (Path f : files) {
                try {
                    out.add(decode(Files.readAllBytes(f)));
                } catch (IOException | IllegalArgumentException e) {
                    log.warn("Held model {} is unreadable and ignored (its forward-transfer score stays unknown): {}", f, e.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        return out;
    }

    static byte[] encode(HeldModel m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 4 * m.parameters().length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(m.stream());
            out.writeLong(m.version());
            writeNullable(out, m.learningTask());
            writeNullable(out, m.forTask());
            byte[] spec = m.specText().getBytes(StandardCharsets.UTF_8);
            out.writeInt(spec.length);
            out.write(spec);
            ByteBuffer params = ByteBuffer.allocate(4 * m.parameters().length);
            params.asFloatBuffer().put(m.parameters());
            out.writeInt(m.parameters().length);
            out.write(params.array());
        }
        return ChecksummedFrame.seal(MAGIC, FORMAT, bytes.toByteArray());
    }

    static HeldModel decode(byte[] data) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(
                ChecksummedFrame.open(MAGIC, FORMAT, data, "held-model file")))) {
            String stream = in.readUTF();
            long version = in.readLong();
            String learningTask = readNullable(in);
            String forTask = readNullable(in);
            byte[] spec = new byte[in.readInt()];
            in.readFully(spec);
            int n = in.readInt();
            byte[] raw = new byte[4 * n];
            in.readFully(raw);
            float[] params = new float[n];
            ByteBuffer.wrap(raw).asFloatBuffer().get(params);
            return new HeldModel(stream, version, learningTask, forTask, new String(spec, StandardCharsets.UTF_8), params);
        }
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
