package io.clpipe.app;

import io.clpipe.learner.service.LearnerService;
import io.clpipe.learner.service.LearnerServiceConfig;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code clpipe learner}: the continual learner service. */
@Command(name = "learner", mixinStandardHelpOptions = true,
        description = {"Runs the learner: consumes the train topic, updates one model per stream (replay, re-warm at",
            "boundaries), publishes snapshots and checkpoints. Settings: --config/--set/CLPIPE_LEARNER_* (docs/operations.md)."})
final class LearnerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    MetricsOptions metricsOptions;

    @Mixin
    ServiceSettings settings;

    @Override
    public Integer call() throws Exception {
        Properties props = settings.load("learner");
        kafka.applyTopicPrefix(props);
        LearnerServiceConfig config = LearnerServiceConfig.fromProperties(props);
        MetricsEndpoint metrics = metricsOptions.start("learner");
        LearnerService service = new LearnerService(config, kafka.clientProperties(), metrics.registry());
        metrics.probes().attach(service);
        service.start();
        return ServiceRunner.runUntilStopped("learner", service,
                ServiceAcls.learner(config.topics(), config.groupId(), config.snapshotFlow().evalGroupId()), metrics, spec.commandLine().getOut());
    }
}
