package io.clpipe.predictor.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The predictor's Micrometer meters (docs/metrics.md): requests and predictions per stream, the
 * latency histogram (request record timestamp to answer), the model version served and swaps per
 * stream, dead letters by reason. Gauges read holders kept here (Micrometer holds them weakly).
 */
final class PredictorMeters {

    private final MeterRegistry registry;
    private final Map<String, StreamMeters> streams = new ConcurrentHashMap<>();
    private final Counter aborts;
    private final Timer batchTime;

    PredictorMeters(MeterRegistry registry) {
        this.registry = registry;
        this.aborts = Counter.builder("clpipe.predictor.transaction.aborts")
                .description("Prediction transactions aborted; their requests are read and answered again").register(registry);
        this.batchTime = Timer.builder("clpipe.predictor.batch.time")
                .description("Time to score one poll's requests (model catch-up excluded)").publishPercentileHistogram()
                .register(registry);
    }

    private final class StreamMeters {
        final Counter requests;
        final Counter predictions;
        final Counter unanswerable;
        final Counter swaps;
        final Timer latency;
        final DistributionSummary batchSize;
        final AtomicLong version = new AtomicLong(-1);

        StreamMeters(String stream) {
            Tags tags = Tags.of("stream", stream);
            requests = Counter.builder("clpipe.predictor.requests").tags(tags)
                    .description("Requests read, answered or not").register(registry);
            predictions = Counter.builder("clpipe.predictor.predictions").tags(tags)
                    .description("Requests answered by a model").register(registry);
            unanswerable = Counter.builder("clpipe.predictor.no.model").tags(tags)
                    .description("Requests answered with an error because the stream had no model yet").register(registry);
            swaps = Counter.builder("clpipe.predictor.model.swaps").tags(tags)
                    .description("Newer snapshots put in service").register(registry);
            latency = Timer.builder("clpipe.predictor.latency").tags(tags)
                    .description("Request record timestamp to its answer being produced (queueing, catch-up and scoring)")
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
            batchSize = DistributionSummary.builder("clpipe.predictor.batch.size").tags(tags)
                    .description("Requests of one stream scored in one forward pass").register(registry);
            Gauge.builder("clpipe.predictor.model.version", version, AtomicLong::get).tags(tags)
                    .description("Model version (learner iteration) answering this stream's requests; -1 before the first")
                    .register(registry);
        }
    }

    private StreamMeters stream(String stream) {
        return streams.computeIfAbsent(stream, StreamMeters::new);
    }

    void swapped(String stream, long version) {
        StreamMeters m = stream(stream);
        m.swaps.increment();
        m.version.set(version);
    }

    void answered(String stream, int requests, long[] latenciesMs) {
        StreamMeters m = stream(stream);
        m.requests.increment(requests);
        m.predictions.increment(requests);
        m.batchSize.record(requests);
        for (long ms : latenciesMs) {
            m.latency.record(ms, TimeUnit.MILLISECONDS);
        }
    }

    void unanswerable(String stream, int requests) {
        StreamMeters m = stream(stream);
        m.requests.increment(requests);
        m.unanswerable.increment(requests);
    }

    void rejected(String reason) {
        Counter.builder("clpipe.predictor.rejected").tag("reason", reason)
                .description("Requests sent to the dead-letter topic, by reason").register(registry).increment();
    }

    Timer.Sample startBatch() {
        return Timer.start(registry);
    }

    void batchDone(Timer.Sample sample) {
        sample.stop(batchTime);
    }

    void aborted() {
        aborts.increment();
    }
}
