package io.clpipe.learner.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A learner service in its own JVM, for the crash test: {@code SETTINGS_FILE CLIENT_FILE}, the
 * service settings as {@code clpipe learner --config} reads them
 * ({@link LearnerServiceConfig#fromProperties}) and the Kafka client properties. Runs until killed;
 * SIGTERM closes the service (final checkpoint) as {@code clpipe learner} does; exits 1 if the
 * service stops on an error.
 */
public final class LearnerProcess {

    private LearnerProcess() {
    }

    public static void main(String[] args) throws Exception {
        LearnerServiceConfig config = LearnerServiceConfig.fromProperties(load(Path.of(args[0])));
        LearnerService service = new LearnerService(config, load(Path.of(args[1])), new SimpleMeterRegistry());
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "learner-process-shutdown"));
        service.start();
        while (service.isRunning()) {
            Thread.sleep(100);
        }
        if (service.failure().isPresent()) {
            System.exit(1);
        }
    }

    static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        return p;
    }
}
