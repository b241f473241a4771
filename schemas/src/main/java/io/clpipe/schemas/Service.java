package io.clpipe.schemas;

import java.time.Duration;
import java.util.Optional;

/**
 * The lifecycle every clpipe service shares (ingest, learner, evaluator, predictor): started once, ready when it
 * does its work, failed when it stopped by itself, closed cleanly (drain, commit, leave the group). The
 * {@code clpipe} commands run any service through it, and its {@code /ready} and {@code /health} probes read it.
 */
public interface Service extends AutoCloseable {

    /** Starts the service's clients and threads; a service starts once. */
    void start();

    /**
     * Empty when the service does its work now (group joined, partitions assigned, loop running); otherwise why
     * not, in words an operator can act on.
     */
    Optional<String> notReady();

    /** What stopped the service by itself (a fatal error); empty while it runs, and after a clean close. */
    Optional<Throwable> failure();

    /** Waits until {@link #notReady()} is empty; false on timeout or once the service has failed. */
    default boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (failure().isPresent()) {
                return false;
            }
            if (notReady().isEmpty()) {
                return true;
            }
            Thread.sleep(20);
        }
        return notReady().isEmpty();
    }

    /** Stops cleanly: finishes the work in hand, commits, leaves the group, closes the clients. Idempotent. */
    @Override
    void close();
}
