package io.clpipe.learner.service;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The queue between the read-ahead thread and the training loop, bounded both in records and in
 * encoded bytes so that memory stays flat however far the topic is ahead of training. A chunk larger
 * than the bounds is still admitted into an empty buffer (one poll's worth is the unit), so the reader
 * can always make progress.
 */
final class ReadAheadBuffer {

    private final int maxRecords;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private final Deque<ReadAheadChunk> chunks = new ArrayDeque<>();
    private int records;
    private long bytes;
    private boolean closed;

    ReadAheadBuffer(int maxRecords, long maxBytes) {
        if (maxRecords <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("read-ahead bounds must be positive, got " + maxRecords + " records, "
                    + maxBytes + " bytes");
        }
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    /**
     * Appends {@code chunk}, waiting while the buffer is full.
     *
     * @return false if the buffer was closed (the chunk is dropped)
     */
    boolean put(ReadAheadChunk chunk) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!closed && !chunks.isEmpty()
                    && (records + chunk.records().size() > maxRecords || bytes + chunk.bytes() > maxBytes)) {
                notFull.await();
            }
            if (closed) {
                return false;
            }
            chunks.addLast(chunk);
            records += chunk.records().size();
            bytes += chunk.bytes();
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The oldest chunk, waiting up to {@code timeout} for one; null if none came (or the buffer is closed). */
    ReadAheadChunk take(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (chunks.isEmpty() && !closed && left > 0) {
                left = notEmpty.awaitNanos(left);
            }
            ReadAheadChunk chunk = chunks.pollFirst();
            if (chunk != null) {
                records -= chunk.records().size();
                bytes -= chunk.bytes();
                notFull.signalAll();
            }
            return chunk;
        } finally {
            lock.unlock();
        }
    }

    /** Drops every queued chunk that {@code drop} matches (a revoked partition's); returns how many records went. */
    int removeIf(Predicate<ReadAheadChunk> drop) {
        lock.lock();
        try {
            int removed = 0;
            for (var it = chunks.iterator(); it.hasNext(); ) {
                ReadAheadChunk c = it.next();
                if (drop.test(c)) {
                    it.remove();
                    records -= c.records().size();
                    bytes -= c.bytes();
                    removed += c.records().size();
                }
            }
            if (removed > 0) {
                notFull.signalAll();
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** Records queued now. */
    int records() {
        return locked(() -> records);
    }

    /** Encoded bytes queued now. */
    long bytes() {
        return locked(() -> bytes);
    }

    private <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter; later puts are refused, takes return what is left and then null. */
    void close() {
        lock.lock();
        try {
            closed = true;
            notFull.signalAll();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
