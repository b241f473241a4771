package io.clpipe.schemas;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread a loop-shaped {@link Service} runs on, with the lifecycle every such service needs: started once,
 * ready once its body says so, failed with the error that ended the body, and closed by asking the body to stop,
 * waking it and waiting (bounded) for it to finish its batch. The evaluator and the predictor run on it.
 */
public final class LoopThread {

    /** The loop's work; {@link LoopThread#running()} turns false when it should finish its batch and return. */
    @FunctionalInterface
    public interface Body {
        void run(LoopThread loop) throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(LoopThread.class);

    private final String name;
    private final Duration closeTimeout;
    private final String unfinishedCloseConsequence;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Throwable failure;
    private Thread thread;

    /**
     * @param name                       the service's name in logs ("Evaluator"); the thread is "clpipe-" + it in lower case
     * @param closeTimeout               how long {@link #close} waits for the body to return
     * @param unfinishedCloseConsequence what an operator should know when that wait times out
     */
    public LoopThread(String name, Duration closeTimeout, String unfinishedCloseConsequence) {
        this.name = name;
        this.closeTimeout = closeTimeout;
        this.unfinishedCloseConsequence = unfinishedCloseConsequence;
    }

    public void start(Body body) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the " + name.toLowerCase(java.util.Locale.ROOT) + " was already started");
        }
        thread = new Thread(() -> run(body), "clpipe-" + name.toLowerCase(java.util.Locale.ROOT));
        thread.start();
    }

    private void run(Body body) {
        try {
            body.run(this);
        } catch (Throwable t) {
            failure = t;
            log.error("{} failed and stopped: {}", name, t.toString(), t);
        } finally {
            running = false;
            stopped.countDown();
        }
    }

    /** Called by the body once it does its work (recovered, joined): {@link #awaitReady} returns true from then on. */
    public void markReady() {
        ready.countDown();
    }

    /** Whether the body should go on; false once {@link #close} was called or the body returned. */
    public boolean running() {
        return running;
    }

    /** True while the thread runs the body. */
    public boolean isAlive() {
        return started.get() && stopped.getCount() > 0;
    }

    public boolean isReady() {
        return ready.getCount() == 0;
    }

    /** Waits until the body marked itself ready; false on timeout or once the body has ended. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (ready.await(50, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (stopped.getCount() == 0) {
                return false;
            }
        }
        return false;
    }

    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Asks the body to stop, runs {@code wakeup} (to interrupt a blocking poll) and waits for the body to return. Idempotent. */
    public void close(Runnable wakeup) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        running = false;
        wakeup.run();
        if (thread == null) {
            return;
        }
        try {
            if (!stopped.await(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.error("{} did not stop within {}; {}", name, closeTimeout, unfinishedCloseConsequence);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
