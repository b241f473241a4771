package io.clpipe.bench.learner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clpipe.learner.service.CheckpointInspector;
import io.clpipe.learner.service.LearnerService;
import io.clpipe.learner.service.LearnerServiceConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The learner service draining the pre-filled training topic once, in a new consumer group with an
 * empty checkpoint directory (so it reads the topic from the beginning). Timed through the service's
 * own meters: from the moment {@code clpipe.learner.samples} first counts a step to the moment it
 * reaches every trainable sample, polled every 0.1 ms.
 */
final class ServiceRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofMinutes(10);
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private ServiceRun() {
    }

    /**
     * @param config          the service settings, with this run's group and a new, empty checkpoint directory
     * @param stream          the stream the topic holds
     * @param trainedSamples  what the service trains of the topic (whole batches)
     */
    static TrainingRun run(LearnerServiceConfig config, Properties client, String stream, long trainedSamples) {
        MeterRegistry registry = new SimpleMeterRegistry();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        Window window;
        try (LearnerService service = new LearnerService(config, client, registry)) {
            service.start();
            window = time(service, registry, stream, trainedSamples, deadline);
        }
        try {
            String sha = weightsSha256(config.checkpointDir(), stream);
            double snapshots = registry.get("clpipe.learner.snapshots").tag("stream", stream).counter().count();
            DistributionSummary bytes = registry.get("clpipe.learner.snapshot.bytes").tag("stream", stream).summary();
            return new TrainingRun(trainedSamples - window.firstCount(), window.seconds(), window.stepSeconds(),
                    Math.round(snapshots), bytes.totalAmount(), sha);
        } finally {
            deleteTree(config.checkpointDir());
        }
    }

    private record Window(long firstCount, double seconds, double stepSeconds) {
    }

    private static Window time(LearnerService service, MeterRegistry registry, String stream, long target, long deadline) {
        Counter samples = null;
        Timer steps = null;
        long firstCount = 0;
        long start = 0;
        double stepsAtStart = 0;
        while (true) {
            if (samples == null || steps == null) { // the stream's meters appear when it is first seen, one by one
                samples = registry.find("clpipe.learner.samples").tag("stream", stream).counter();
                steps = registry.find("clpipe.learner.step.seconds").tag("stream", stream).timer();
            }
            long now = System.nanoTime();
            long count = samples == null || steps == null ? 0 : Math.round(samples.count());
            if (firstCount == 0 && count > 0) {
                firstCount = count;
                start = now;
                stepsAtStart = steps.totalTime(TimeUnit.SECONDS);
            }
            if (count >= target) {
                return new Window(firstCount, (now - start) / 1e9, steps.totalTime(TimeUnit.SECONDS) - stepsAtStart);
            }
            if (!service.isRunning()) {
                throw new IllegalStateException("the learner service stopped after " + count + " of " + target + " samples",
                        service.failure().orElse(null));
            }
            if (now > deadline) {
                throw new IllegalStateException("the learner service trained only " + count + " of " + target + " samples in "
                        + LIMIT.toMinutes() + " min");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static String weightsSha256(Path dir, String stream) {
        try {
            for (JsonNode n : JSON.readTree(CheckpointInspector.json(dir))) {
                if (stream.equals(n.path("stream").asText())) {
                    return n.get("weights_sha256").asText();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no checkpoint of stream " + stream + " in " + dir);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
