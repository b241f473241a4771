package io.clpipe.app;

import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.ingest.service.IngestService;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.ValidationConfig;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code clpipe ingest}: the validating Kafka Streams app. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Runs the ingest Kafka Streams app (exactly-once): samples → train / eval / dead-letter topics,",
            "task boundaries to the control topic."})
final class IngestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    MetricsOptions metricsOptions;

    @Option(names = "--feature-dim", description = "Expected feature dimension of every stream (default: fixed by each stream's first sample).")
    Integer featureDim;

    @Option(names = "--classes", description = "Number of classes: labels must lie in [0, N) (default: any non-negative label).")
    Integer classes;

    @Option(names = "--eval-permille", defaultValue = "100",
            description = "Share of samples without a split that go to the eval topic, in per mille (default: ${DEFAULT-VALUE} = 10%%).")
    int evalPerMille;

    @Option(names = "--drift-detection", description = "Task-free streams: detect label-distribution shifts (Page-Hinkley) and emit boundaries.")
    boolean driftDetection;

    @Option(names = "--text-chunk-bytes", defaultValue = "1024",
            description = "Text samples are cut into pieces of at most this many UTF-8 bytes for the byte LM, after the split is chosen "
                    + "(0 = never; default: ${DEFAULT-VALUE}).")
    int textChunkBytes;

    @Option(names = "--max-record-bytes", defaultValue = "1048576", description = "Larger records are rejected (default: ${DEFAULT-VALUE}).")
    int maxRecordBytes;

    @Override
    public Integer call() throws Exception {
        ValidationConfig validation = ValidationConfig.defaults().withMaxRecordBytes(maxRecordBytes);
        if (featureDim != null) {
            validation = validation.withDefaultFeatureDim(featureDim);
        }
        if (classes != null) {
            validation = validation.withNumClasses(classes);
        }
        RoutingConfig routing = RoutingConfig.defaults().withValidation(validation)
                .withEvalPerMille(evalPerMille).withDriftDetection(driftDetection).withTextChunkBytes(textChunkBytes);
        Properties props = kafka.clientProperties();
        MetricsEndpoint metrics = metricsOptions.start("ingest");
        IngestService service = new IngestService(Topics.withPrefix(kafka.topicPrefix), routing, props, metrics.registry());
        metrics.probes().attach(service::failure, service::notReady);
        service.start();
        return ServiceRunner.runUntilStopped("ingest", service, service::failure,
                ServiceAcls.ingest(Topics.withPrefix(kafka.topicPrefix), IngestService.APPLICATION_ID), metrics, spec.commandLine().getOut());
    }
}
