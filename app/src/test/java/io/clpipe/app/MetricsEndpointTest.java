package io.clpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    void portMinusOneServesNothingButKeepsTheRegistry() {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", -1, "test")) {
            assertThat(endpoint.port()).isEqualTo(-1);
            assertThat(endpoint.registry().scrape()).contains("jvm_");
        }
    }
}
