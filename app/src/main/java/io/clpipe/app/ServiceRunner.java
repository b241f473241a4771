package io.clpipe.app;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a service running until SIGTERM/SIGINT, then closes it (drain, checkpoint, commit) before
 * the JVM exits. The close runs on the shutdown-hook thread, so a second signal is not needed.
 */
final class ServiceRunner {

    private static final Logger log = LoggerFactory.getLogger(ServiceRunner.class);

    private ServiceRunner() {
    }

    static int runUntilStopped(String name, AutoCloseable service, AutoCloseable metrics, PrintWriter out) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping {} (signal received): draining and committing", name);
            try {
                service.close();
            } catch (Exception e) {
                log.error("Closing {} failed: {}", name, e.toString(), e);
            }
            try {
                metrics.close();
            } catch (Exception e) {
                log.warn("Closing the metrics endpoint failed: {}", e.toString());
            }
            closed.countDown();
        }, "clpipe-" + name + "-shutdown"));
        out.println(name + " running; Ctrl-C or SIGTERM stops it cleanly.");
        out.flush();
        closed.await();
        return 0;
    }
}
