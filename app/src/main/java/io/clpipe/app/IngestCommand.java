package io.clpipe.app;

import io.clpipe.ingest.service.IngestService;
import io.clpipe.ingest.service.IngestServiceConfig;
import java.util.Map;
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
            "task boundaries to the control topic. Settings: --config/--set/CLPIPE_INGEST_* (docs/operations.md); the",
            "options below are shortcuts for the settings named in brackets (--set wins over them)."})
final class IngestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    MetricsOptions metricsOptions;

    @Mixin
    ServiceSettings settings;

    @Option(names = "--feature-dim", description = "[feature.dim] Expected feature dimension of every stream (default: fixed by each stream's first sample).")
    Integer featureDim;

    @Option(names = "--classes", description = "[classes] Number of classes: labels must lie in [0, N) (default: any non-negative label).")
    Integer classes;

    @Option(names = "--eval-permille",
            description = "[eval.permille] Share of samples without a split that go to the eval topic, in per mille (default: 100 = 10%%).")
    Integer evalPerMille;

    @Option(names = "--drift-detection", description = "[drift.detection] Task-free streams: detect shifts of the labels and features "
            + "(ADWIN), label segments and emit DRIFT_DETECTED boundaries (docs/operations.md, \"Drift detection\").")
    Boolean driftDetection;

    @Option(names = "--drift", paramLabel = "KEY=VALUE", description = "A drift.* setting, repeatable, e.g. --drift drift.adwin.delta=0.0005 "
            + "(the same as --set; keys: docs/operations.md).")
    Map<String, String> drift;

    @Option(names = "--text-chunk-bytes",
            description = "[text.chunk.bytes] Text samples are cut into pieces of at most this many UTF-8 bytes for the byte LM, "
                    + "after the split is chosen (0 = never; default: 1024).")
    Integer textChunkBytes;

    @Option(names = "--max-record-bytes", description = "[max.record.bytes] Larger records are rejected (default: 1048576).")
    Integer maxRecordBytes;

    @Override
    public Integer call() throws Exception {
        Properties props = settings.load("ingest");
        kafka.applyTopicPrefix(props);
        shortcut(props, "feature.dim", featureDim);
        shortcut(props, "classes", classes);
        shortcut(props, "eval.permille", evalPerMille);
        shortcut(props, "drift.detection", driftDetection);
        shortcut(props, "text.chunk.bytes", textChunkBytes);
        shortcut(props, "max.record.bytes", maxRecordBytes);
        if (drift != null) {
            drift.forEach((key, value) -> shortcut(props, key, value));
        }
        IngestServiceConfig config = IngestServiceConfig.fromProperties(props);
        MetricsEndpoint metrics = metricsOptions.start("ingest");
        IngestService service = new IngestService(config, kafka.clientProperties(), metrics.registry());
        metrics.probes().attach(service);
        service.start();
        return ServiceRunner.runUntilStopped("ingest", service,
                ServiceAcls.ingest(config.topics(), config.applicationId()), metrics, spec.commandLine().getOut());
    }

    /** An option given on the command line wins over the file and the environment, not over --set. */
    private void shortcut(Properties props, String key, Object value) {
        if (value != null && !settings.overrides.containsKey(key)) {
            props.setProperty(key, value.toString());
        }
    }
}
