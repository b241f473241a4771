package io.clpipe.app;

import picocli.CommandLine.IVersionProvider;

/** Version from the jar manifest (set by the build), or "dev" when run from classes. */
public final class ClpipeVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Clpipe.class.getPackage().getImplementationVersion();
        return new String[] {"clpipe " + (v == null ? "dev" : v) + " (Kafka 4.3.1, ND4J 1.0.0-M2.1, Java " + Runtime.version() + ")"};
    }
}
