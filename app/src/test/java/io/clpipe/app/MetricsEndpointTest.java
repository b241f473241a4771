package io.clpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

    @Test
    void servesPrometheusTextOnLoopbackWithContentTypeAndHelp() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, "test")) {
            Counter.builder("clpipe.learner.samples").description("New training samples trained on").tag("stream", "s1")
                    .register(endpoint.registry()).increment(42);
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue(MetricsEndpoint.CONTENT_TYPE);
            assertThat(response.body())
                    .contains("# HELP clpipe_learner_samples_total New training samples trained on")
                    .contains("clpipe_learner_samples_total{service=\"test\",stream=\"s1\"} 42.0")
                    .contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void healthIsLivenessAndReadyIsTheServicesOwnCheckWithTheReason() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, "test")) {
            assertThat(get(endpoint, "/health")).isEqualTo("200 ok");
            assertThat(get(endpoint, "/ready")).isEqualTo("503 not ready: starting");

            AtomicReference<Optional<String>> notReady = new AtomicReference<>(Optional.of("Kafka Streams is REBALANCING, not RUNNING"));
            AtomicReference<Optional<Throwable>> failure = new AtomicReference<>(Optional.empty());
            endpoint.probes().attach(new io.clpipe.schemas.Service() {
                @Override
                public void start() {
                }

                @Override
                public Optional<String> notReady() {
                    return notReady.get();
                }

                @Override
                public Optional<Throwable> failure() {
                    return failure.get();
                }

                @Override
                public void close() {
                }
            });
            assertThat(get(endpoint, "/health")).isEqualTo("200 ok");
            assertThat(get(endpoint, "/ready")).isEqualTo("503 not ready: Kafka Streams is REBALANCING, not RUNNING");

            notReady.set(Optional.empty());
            assertThat(get(endpoint, "/ready")).isEqualTo("200 ready");

            failure.set(Optional.of(new IllegalStateException("fenced")));
            assertThat(get(endpoint, "/health")).isEqualTo("503 not ok: failed: java.lang.IllegalStateException: fenced");
            assertThat(get(endpoint, "/ready")).as("a failed service is not ready either")
                    .isEqualTo("503 not ready: failed: java.lang.IllegalStateException: fenced");
        }
    }

    private static String get(MetricsEndpoint endpoint, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body().strip();
    }

    @Test
    void portMinusOneServesNothingButKeepsTheRegistry() {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", -1, "test")) {
            assertThat(endpoint.port()).isEqualTo(-1);
            assertThat(endpoint.registry().scrape()).contains("jvm_");
        }
    }
}
