package io.clpipe.app;

import io.clpipe.evaluator.service.ScorerService;
import io.clpipe.evaluator.service.ScorerServiceConfig;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code clpipe scorer}: one instance of spread scoring's scoring tier. */
@Command(name = "scorer", mixinStandardHelpOptions = true,
        description = {"Runs a scorer: scores the snapshot versions that evaluators with scoring=spread request, in",
            "parallel with the other scorers of its group; stateless, add or remove instances at any time.",
            "Settings: --config/--set/CLPIPE_SCORER_* (give each instance its own transactional.id)."})
final class ScorerCommand implements Callable<Integer> {

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
        Properties props = settings.load("scorer");
        kafka.applyTopicPrefix(props);
        ScorerServiceConfig config = ScorerServiceConfig.fromProperties(props);
        MetricsEndpoint metrics = metricsOptions.start("scorer");
        ScorerService service = new ScorerService(config, kafka.clientProperties(), metrics.registry());
        metrics.probes().attach(service);
        service.start();
        return ServiceRunner.runUntilStopped("scorer", service,
                ServiceAcls.scorer(config.topics(), config.groupId(), config.transactionalId()), metrics, spec.commandLine().getOut());
    }
}
