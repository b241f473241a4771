package io.clpipe.app;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.clpipe.schemas.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a service running until SIGTERM/SIGINT, then closes it (drain, checkpoint, commit) before
 * the JVM exits. If the service stops by itself on a fatal error (fenced producer, corrupt state,
 * lost credentials), the command exits with status 1 and the cause, instead of idling.
 */
final class ServiceRunner {

    private static final Logger log = LoggerFactory.getLogger(ServiceRunner.class);

    private ServiceRunner() {
    }

    /**
     * @param acls    what the service needs from a cluster with an authorizer, quoted when Kafka denies it
     */
    static int runUntilStopped(String name, Service service, ServiceAcls acls,
                               AutoCloseable metrics, PrintWriter out) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            log.info("Stopping {} (signal received): draining and committing", name);
            closeQuietly(name, service, metrics);
            closed.countDown();
        }, "clpipe-" + name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println(name + " running; Ctrl-C or SIGTERM stops it cleanly.");
        out.flush();
        while (!closed.await(1, TimeUnit.SECONDS)) {
            Optional<Throwable> cause = service.failure();
            if (cause.isPresent()) {
                Runtime.getRuntime().removeShutdownHook(hook);
                Optional<String> access = KafkaAccessError.explain(acls, cause.get());
                if (access.isPresent()) {
                    // Wrong credentials or a missing ACL: fatal, retrying cannot help; no stack trace needed.
                    log.error("{} stopped: {}", name, access.get());
                } else {
                    log.error("{} stopped on a fatal error: {}", name, cause.get().toString(), cause.get());
                }
                closeQuietly(name, service, metrics);
                out.println(name + " failed: " + access.orElse(cause.get().getMessage()));
                out.flush();
                return 1;
            }
        }
        return 0;
    }

    private static void closeQuietly(String name, Service service, AutoCloseable metrics) {
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
    }
}
