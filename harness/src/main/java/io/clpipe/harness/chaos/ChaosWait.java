package io.clpipe.harness.chaos;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Polls a condition until it holds or the chaos timeout passes, keeping the pipeline's processes supervised meanwhile. */
final class ChaosWait {

    private static final Logger log = LoggerFactory.getLogger(ChaosWait.class);

    private final Duration timeout;

    ChaosWait(Duration timeout) {
        this.timeout = timeout;
    }

    void await(ChaosPipeline pipeline, BooleanSupplier condition, String what) {
        awaitPlain(() -> {
            pipeline.supervise();
            return safe(condition::getAsBoolean, false);
        }, what, () -> pipeline.names(ChaosPipeline.Role.LEARNER).stream().map(n -> n + ":\n" + pipeline.logTail(n))
                .reduce("", (a, b) -> a + "\n" + b));
    }

    void awaitPlain(BooleanSupplier condition, String what) {
        awaitPlain(condition, what, () -> "");
    }

    void awaitPlain(BooleanSupplier condition, String what, java.util.function.Supplier<String> context) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("chaos: timed out after " + timeout.toSeconds() + " s waiting until " + what
                        + context.get());
            }
            sleep(250);
        }
    }

    static <T> T safe(java.util.function.Supplier<T> s, T fallback) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            log.debug("chaos: read failed (broker restarting?): {}", e.toString());
            return fallback;
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
