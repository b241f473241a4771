package io.clpipe.app;

import io.clpipe.predictor.service.PredictorService;
import io.clpipe.predictor.service.PredictorServiceConfig;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code clpipe serve}: the prediction service. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the predictor: answers requests on the requests topic with each stream's newest model",
            "snapshot (hot swap by version, exactly once) on the predictions topic and /metrics.",
            "Settings: --config/--set/CLPIPE_PREDICTOR_* (docs/operations.md)."})
final class ServeCommand implements Callable<Integer> {

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
        Properties props = settings.load("predictor");
        kafka.applyTopicPrefix(props);
        PredictorServiceConfig config = PredictorServiceConfig.fromProperties(props);
        MetricsEndpoint metrics = metricsOptions.start("predictor");
        PredictorService service = new PredictorService(config, kafka.clientProperties(), metrics.registry());
        metrics.probes().attach(service);
        service.start();
        return ServiceRunner.runUntilStopped("predictor", service,
                ServiceAcls.predictor(config.topics(), config.groupId(), config.transactionalId()), metrics,
                spec.commandLine().getOut());
    }
}
