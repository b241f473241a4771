package io.clpipe.ingest.source;

import io.clpipe.schemas.avro.Sample;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/** The first {@code limit} samples of another source. */
public final class LimitedSource implements SampleSource {

    private final SampleSource inner;
    private final long limit;
    private long taken;

    public LimitedSource(SampleSource inner, long limit) {
        this.inner = inner;
        this.limit = limit;
    }

    @Override
    public boolean hasNext() {
        return taken < limit && inner.hasNext();
    }

    @Override
    public Sample next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        taken++;
        return inner.next();
    }

    @Override
    public OptionalLong size() {
        OptionalLong innerSize = inner.size();
        return innerSize.isPresent() ? OptionalLong.of(Math.min(limit, innerSize.getAsLong())) : OptionalLong.empty();
    }

    @Override
    public String description() {
        return inner.description() + " (first " + limit + ")";
    }

    @Override
    public void close() {
        inner.close();
    }
}
