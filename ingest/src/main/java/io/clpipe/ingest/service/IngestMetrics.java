package io.clpipe.ingest.service;

import io.clpipe.schemas.RejectReason;
import io.clpipe.schemas.avro.ControlType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** Counters per ingest outcome (Micrometer names as docs/metrics.md lists them; Prometheus adds {@code _total}). */
public final class IngestMetrics {

    private final Counter train;
    private final Counter eval;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Map<ControlType, Counter> events = new EnumMap<>(ControlType.class);

    public IngestMetrics(MeterRegistry registry) {
        train = outcome(registry, "train");
        eval = outcome(registry, "eval");
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, Counter.builder("clpipe.ingest.rejected")
                    .description("Records routed to the dead-letter topic, by reason")
                    .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry));
        }
        for (ControlType type : ControlType.values()) {
            events.put(type, Counter.builder("clpipe.ingest.control.events")
                    .description("Boundary and drift events emitted to the control topic, by type")
                    .tag("type", type.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry));
        }
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("clpipe.ingest.records")
                .description("Valid records routed by ingest, by destination")
                .tag("outcome", outcome)
                .register(registry);
    }

    void accepted(boolean toEval) {
        (toEval ? eval : train).increment();
    }

    void rejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    void event(ControlType type) {
        events.get(type).increment();
    }
}
