package io.clpipe.app;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import io.clpipe.schemas.Service;

/**
 * The service's {@code /health} (liveness) and {@code /ready} (readiness) answers, separate so that
 * an orchestrator restarts only what is broken and routes, rolls out and waits only on what works.
 * Live: the service has not stopped on a fatal error. Ready: its own check passes (Kafka Streams
 * RUNNING for ingest; loop running and group joined for learner and evaluator). Until a service is
 * attached, the process is live and not ready.
 */
final class Probes {

    private volatile Supplier<Optional<Throwable>> failure = Optional::empty;
    private volatile Supplier<Optional<String>> notReady = () -> Optional.of("starting");

    /** From now on the probes answer what {@code service} says of itself. */
    void attach(Service service) {
        this.failure = service::failure;
        this.notReady = service::notReady;
    }

    /** Empty when live, else the reason. */
    Optional<String> unhealthy() {
        return failure.get().map(t -> "failed: " + t);
    }

    /** Empty when ready, else the reason (a dead service is not ready either). */
    Optional<String> unready() {
        Optional<String> dead = unhealthy();
        return dead.isPresent() ? dead : notReady.get();
    }

    void health(HttpExchange exchange) throws IOException {
        answer(exchange, unhealthy(), "ok");
    }

    void ready(HttpExchange exchange) throws IOException {
        answer(exchange, unready(), "ready");
    }

    private static void answer(HttpExchange exchange, Optional<String> problem, String fine) throws IOException {
        byte[] body = (problem.map(p -> "not " + fine + ": " + p).orElse(fine) + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(problem.isPresent() ? 503 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
