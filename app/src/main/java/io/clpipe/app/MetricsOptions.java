package io.clpipe.app;

import picocli.CommandLine.Option;

/** Where a service serves its Prometheus {@code /metrics}. */
final class MetricsOptions {

    @Option(names = "--metrics-port", defaultValue = "${env:CLPIPE_METRICS_PORT:-0}",
            description = "Port of the Prometheus /metrics endpoint (0 = any free port, -1 = off; default: $CLPIPE_METRICS_PORT or 0).")
    int port;

    @Option(names = "--metrics-bind", defaultValue = "${env:CLPIPE_METRICS_BIND:-127.0.0.1}",
            description = "Address /metrics binds to (default: ${DEFAULT-VALUE}; use 0.0.0.0 in containers).")
    String bind;

    MetricsEndpoint start(String service) {
        return MetricsEndpoint.start(bind, port, service);
    }
}
