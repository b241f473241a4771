package io.clpipe.evaluator.service;

import io.clpipe.schemas.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The state file in the state directory, written atomically (temporary file, fsync, rename). Holds
 * an exclusive lock on the directory while open, so two evaluators cannot share one.
 */
final class StateStore implements AutoCloseable {

    static final String FILE_NAME = "evaluator-state.bin";

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;

    StateStore(Path directory) {
        try {
            Files.createDirectories(directory);
            this.file = directory.resolve(FILE_NAME);
            this.lockChannel = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            this.lock = tryLock(lockChannel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the evaluator state directory " + directory, e);
        }
        if (lock == null) {
            closeQuietly();
            throw new IllegalStateException("the evaluator state directory " + directory
                    + " is locked by another evaluator process; give each evaluator its own --state-dir");
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by another evaluator in this JVM
        }
    }

    Path file() {
        return file;
    }

    /** The saved state, or empty if none was saved yet. */
    Optional<EvaluatorState> load() throws StateCorruptException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(StateCodec.decode(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    void save(EvaluatorState state) {
        try {
            AtomicFiles.write(file, StateCodec.encode(state));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            lockChannel.close();
        } catch (IOException e) {
            // releasing a lock of a closing process cannot be retried usefully
        }
    }
}
