package io.clpipe.app;

import io.clpipe.evaluator.service.EvaluatorService;
import io.clpipe.evaluator.service.EvaluatorServiceConfig;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code clpipe evaluator}: the continual evaluation service. */
@Command(name = "evaluator", mixinStandardHelpOptions = true,
        description = {"Runs the evaluator: scores every model snapshot on every seen task's eval set and publishes",
            "per-iteration metrics to the metrics topic and /metrics. Settings: --config/--set/CLPIPE_EVALUATOR_*."})
final class EvaluatorCommand implements Callable<Integer> {

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
        Properties props = settings.load("evaluator");
        kafka.applyTopicPrefix(props);
        props.putIfAbsent("state.dir", "clpipe-evaluator-state");
        EvaluatorServiceConfig config = EvaluatorServiceConfig.fromProperties(props);
        MetricsEndpoint metrics = metricsOptions.start("evaluator");
        EvaluatorService service = new EvaluatorService(config, kafka.clientProperties(), metrics.registry());
        metrics.probes().attach(service);
        service.start();
        return ServiceRunner.runUntilStopped("evaluator", service,
                ServiceAcls.evaluator(config.topics(), config.groupId(), config.transactionalId(), config.spreadScoring()), metrics, spec.commandLine().getOut());
    }
}
