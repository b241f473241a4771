package io.clpipe.predictor.service;

import io.clpipe.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Properties;

/** A predictor in its own JVM, for the SIGKILL test: args bootstrap, topic prefix, group, transactional id. */
public final class PredictorProcess {

    private PredictorProcess() {
    }

    /** Short session and transaction timeouts: a killed instance's partition and open transaction are released in seconds. */
    static Properties clientProperties(String bootstrapServers) {
        Properties client = new Properties();
        client.put("bootstrap.servers", bootstrapServers);
        client.put("session.timeout.ms", "6000");
        client.put("heartbeat.interval.ms", "1000");
        client.put("transaction.timeout.ms", "10000");
        return client;
    }

    public static void main(String[] args) throws Exception {
        PredictorServiceConfig config = PredictorServiceConfig.defaults(Topics.withPrefix(args[1])).withIds(args[2], args[3]);
        PredictorService service = new PredictorService(config, clientProperties(args[0]), new SimpleMeterRegistry());
        service.start();
        while (service.isRunning()) {
            Thread.sleep(100);
        }
        System.exit(service.failure().isPresent() ? 1 : 0);
    }
}
