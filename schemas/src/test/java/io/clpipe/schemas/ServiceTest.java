package io.clpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServiceTest {

    /** Ready after {@code readyAfter} checks, or failed after {@code failAfter}; counts the checks, not time. */
    private static Service service(int readyAfter, int failAfter) {
        AtomicInteger checks = new AtomicInteger();
        return new Service() {
            @Override
            public void start() {
            }

            @Override
            public Optional<String> notReady() {
                return checks.incrementAndGet() > readyAfter ? Optional.empty() : Optional.of("joining");
            }

            @Override
            public Optional<Throwable> failure() {
                return checks.get() >= failAfter ? Optional.of(new IllegalStateException("fenced")) : Optional.empty();
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void awaitReadyReturnsOnceTheServiceSaysItIsReady() throws InterruptedException {
        assertThat(service(3, Integer.MAX_VALUE).awaitReady(Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void awaitReadyGivesUpAsSoonAsTheServiceHasFailed() throws InterruptedException {
        assertThat(service(Integer.MAX_VALUE, 2).awaitReady(Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void awaitReadyIsFalseWhenTheServiceNeverGetsReadyInTime() throws InterruptedException {
        assertThat(service(Integer.MAX_VALUE, Integer.MAX_VALUE).awaitReady(Duration.ZERO)).isFalse();
    }
}
