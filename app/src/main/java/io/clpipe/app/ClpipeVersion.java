package io.clpipe.app;

import org.apache.kafka.common.utils.internals.AppInfoParser;
import picocli.CommandLine.IVersionProvider;

/** Version from the jar manifest (set by the build), or "dev" when run from classes; Kafka's from its client jar. */
public final class ClpipeVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Clpipe.class.getPackage().getImplementationVersion();
        return new String[] {"clpipe " + (v == null ? "dev" : v) + " (Kafka " + AppInfoParser.getVersion() + ", ND4J 1.0.0-M2.1, Java " + Runtime.version() + ")"};
    }
}
