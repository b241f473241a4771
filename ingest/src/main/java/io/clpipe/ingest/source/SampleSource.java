package io.clpipe.ingest.source;

import io.clpipe.schemas.avro.Sample;
import java.util.Iterator;
import java.util.OptionalLong;

/** A finite, ordered supply of samples to produce (a dataset file, a scenario). */
public interface SampleSource extends Iterator<Sample>, AutoCloseable {

    /** How many samples the source will yield, when known up front (for progress bars). */
    OptionalLong size();

    /** Human-readable origin for logs, e.g. "mnist train (60000 images)". */
    String description();

    @Override
    default void close() {
    }
}
