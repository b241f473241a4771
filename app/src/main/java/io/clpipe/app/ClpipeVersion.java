package io.clpipe.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * Version from the jar manifest (set by the build), or "dev" when run from classes; Kafka's from the
 * {@code kafka/kafka-version.properties} resource its client jar carries (what Kafka itself logs at start-up).
 */
public final class ClpipeVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Clpipe.class.getPackage().getImplementationVersion();
        return new String[] {"clpipe " + (v == null ? "dev" : v) + " (Kafka " + kafkaVersion() + ", ND4J 1.0.0-M2.1, Java "
                + Runtime.version() + ")"};
    }

    static String kafkaVersion() {
        try (InputStream in = ClpipeVersion.class.getClassLoader().getResourceAsStream("kafka/kafka-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
