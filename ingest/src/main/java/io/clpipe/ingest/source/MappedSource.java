package io.clpipe.ingest.source;

import io.clpipe.schemas.avro.Sample;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/** A source whose samples pass through a function (e.g. to force a split). */
public final class MappedSource implements SampleSource {

    private final SampleSource inner;
    private final UnaryOperator<Sample> mapping;

    public MappedSource(SampleSource inner, UnaryOperator<Sample> mapping) {
        this.inner = inner;
        this.mapping = mapping;
    }

    @Override
    public boolean hasNext() {
        return inner.hasNext();
    }

    @Override
    public Sample next() {
        return mapping.apply(inner.next());
    }

    @Override
    public OptionalLong size() {
        return inner.size();
    }

    @Override
    public String description() {
        return inner.description();
    }

    @Override
    public void close() {
        inner.close();
    }
}
