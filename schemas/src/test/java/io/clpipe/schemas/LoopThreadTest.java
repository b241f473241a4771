package io.clpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoopThreadTest {

    private static final Duration LONG = Duration.ofMinutes(1);

    @Test
    void readyOnceTheBodySaysSoAndClosedByAskingItToStop() throws Exception {
        LoopThread thread = new LoopThread("Worker", LONG, "nothing");
        AtomicInteger rounds = new AtomicInteger();
        AtomicInteger wakeups = new AtomicInteger();
        CountDownLatch looping = new CountDownLatch(1);
        assertThat(thread.isAlive()).isFalse();
        thread.start(self -> {
            self.markReady();
            while (self.running()) {
                rounds.incrementAndGet();
                looping.countDown();
                Thread.onSpinWait();
            }
        });
        assertThat(thread.awaitReady(LONG)).isTrue();
        assertThat(looping.await(1, TimeUnit.MINUTES)).isTrue();
        assertThat(thread.isAlive()).isTrue();
        thread.close(wakeups::incrementAndGet);
        assertThat(thread.isAlive()).isFalse();
        assertThat(thread.failure()).isEmpty();
        assertThat(rounds.get()).isPositive();
        thread.close(wakeups::incrementAndGet);
        assertThat(wakeups.get()).as("close is idempotent").isEqualTo(1);
    }

    @Test
    void aBodyThatThrowsIsTheFailureAndNeverReady() throws Exception {
        LoopThread thread = new LoopThread("Worker", LONG, "nothing");
        IllegalStateException boom = new IllegalStateException("broker said no");
        thread.start(self -> {
            throw boom;
        });
        assertThat(thread.awaitReady(LONG)).isFalse();
        assertThat(thread.failure()).containsSame(boom);
        assertThat(thread.isAlive()).isFalse();
        assertThat(thread.running()).isFalse();
    }

    @Test
    void startsOnceAndClosesBeforeStartWithoutWaiting() {
        LoopThread never = new LoopThread("Worker", LONG, "nothing");
        AtomicInteger wakeups = new AtomicInteger();
        never.close(wakeups::incrementAndGet);
        assertThat(wakeups.get()).isEqualTo(1);
        assertThat(never.running()).isFalse();

        LoopThread once = new LoopThread("Worker", LONG, "nothing");
        once.start(self -> { });
        assertThatThrownBy(() -> once.start(self -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("worker was already started");
        once.close(() -> { });
    }
}
