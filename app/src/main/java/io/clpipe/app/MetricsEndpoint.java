package io.clpipe.app;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a Prometheus registry at {@code /metrics} (text exposition format 0.0.4), and the
 * service's {@code /health} and {@code /ready} ({@link Probes}). Binds to
 * 127.0.0.1 unless told otherwise: metrics reveal stream names and topology.
 */
final class MetricsEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;
    private final JvmGcMetrics gcMetrics;
    private final KafkaConsumerLagMetrics consumerLag;
    private final Probes probes;

    private MetricsEndpoint(PrometheusMeterRegistry registry, HttpServer server, JvmGcMetrics gcMetrics,
                            KafkaConsumerLagMetrics consumerLag, Probes probes) {
        this.probes = probes;
        this.registry = registry;
        this.server = server;
        this.gcMetrics = gcMetrics;
        this.consumerLag = consumerLag;
    }

    /** Starts serving; port 0 picks a free port (see {@link #port()}); port −1 serves nothing. */
    static MetricsEndpoint start(String bindAddress, int port, String service) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", service).meterFilter(new DefaultDescriptionFilter());
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        KafkaConsumerLagMetrics lag = new KafkaConsumerLagMetrics();
        lag.bindTo(registry);
        Probes probes = new Probes();
        if (port < 0) {
            return new MetricsEndpoint(registry, null, gc, lag, probes);
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
            server.createContext("/metrics", exchange -> {
                byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.createContext("/health", probes::health);
            server.createContext("/ready", probes::ready);
            server.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "clpipe-metrics-http");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            log.info("Prometheus metrics of {} at http://{}:{}/metrics", service, bindAddress, server.getAddress().getPort());
            return new MetricsEndpoint(registry, server, gc, lag, probes);
        } catch (IOException e) {
            lag.close();
            throw new UncheckedIOException("cannot serve /metrics on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** {@code /health} and {@code /ready} of the service this endpoint belongs to. */
    Probes probes() {
        return probes;
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        gcMetrics.close();
        consumerLag.close();
        registry.close();
    }
}
