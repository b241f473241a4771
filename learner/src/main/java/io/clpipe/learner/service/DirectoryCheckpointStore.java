package io.clpipe.learner.service;

import io.clpipe.learner.engine.checkpoint.CheckpointCorruptException;
import io.clpipe.learner.engine.checkpoint.CheckpointCodec;
import io.clpipe.schemas.AtomicFiles;
import io.clpipe.learner.engine.checkpoint.LearnerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * One checkpoint file per stream: {@code <dir>/<train topic>-<partition>/<stream>.ckpt}, grouped by
 * partition so that an assignment reads exactly the streams it must resume. Written atomically by the
 * engine's {@link CheckpointCodec} written with {@link AtomicFiles} (temporary file, fsync, rename), verified by its SHA-256 on read.
 *
 * <p>File names encode stream ids so that no two ids share a file, on case-insensitive file systems
 * too: {@code a-z 0-9 _ -} stay, every other byte of the UTF-8 id becomes {@code %XX} (upper-case hex);
 * an encoding longer than {@value #MAX_NAME} characters is cut and suffixed with {@code ~} and the
 * SHA-256 of the id. The stream id is also stored inside the file and checked on read.
 */
final class DirectoryCheckpointStore implements CheckpointStore {

    static final String SUFFIX = ".ckpt";
    static final int MAX_NAME = 180;

    private final Path dir;

    DirectoryCheckpointStore(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path fileFor(String topic, int partition, String stream) {
        return partitionDir(topic, partition).resolve(encode(stream) + SUFFIX);
    }

    @Override
    public void write(String topic, int partition, String stream, LearnerState state) {
        try {
            AtomicFiles.write(fileFor(topic, partition, stream), CheckpointCodec.encode(state));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint of stream " + stream + " to "
                    + fileFor(topic, partition, stream), e);
        }
    }

    /** Every checkpoint of the partition, verified; a damaged file is an error (there is no older generation). */
    @Override
    public List<LearnerState> readPartition(String topic, int partition) {
        List<LearnerState> out = new ArrayList<>();
        for (Path file : files(partitionDir(topic, partition))) {
            out.add(read(file));
        }
        return out;
    }

    @Override
    public String describe() {
        return "directory " + dir.toAbsolutePath();
    }

    /** Every checkpoint file under the directory, sorted. */
    List<Path> allFiles() {
        return files(dir);
    }

    static LearnerState read(Path file) {
        try {
            return CheckpointCodec.decode(file.toString(), Files.readAllBytes(file));
        } catch (CheckpointCorruptException e) {
            throw new UncheckedIOException(e.getMessage(), e); // names the file already
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e, e);
        }
    }

    private Path partitionDir(String topic, int partition) {
        return dir.resolve(encode(topic) + "-" + partition);
    }

    private static List<Path> files(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root, 2)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints under " + root, e);
        }
    }

    static String encode(String id) {
        if (id.isEmpty()) {
            return "%"; // a lone % never occurs otherwise
        }
        StringBuilder s = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                s.append(c);
            } else {
                s.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        if (s.length() <= MAX_NAME) {
            return s.toString();
        }
        return s.substring(0, MAX_NAME - 65) + "~" + HexFormat.of().formatHex(sha256(id));
    }

    private static byte[] sha256(String id) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
