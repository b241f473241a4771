package io.clpipe.ingest.source;

import io.clpipe.schemas.avro.Sample;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;

/** Samples already in memory (e.g. text documents cut to a budget), in list order. */
public final class ListSource implements SampleSource {

    private final List<Sample> samples;
    private final Iterator<Sample> it;
    private final String description;

    public ListSource(List<Sample> samples, String description) {
        this.samples = List.copyOf(samples);
        this.it = this.samples.iterator();
        this.description = description;
    }

    @Override
    public boolean hasNext() {
        return it.hasNext();
    }

    @Override
    public Sample next() {
        return it.next();
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.of(samples.size());
    }

    @Override
    public String description() {
        return description;
    }
}
