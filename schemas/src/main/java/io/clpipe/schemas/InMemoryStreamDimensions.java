package io.clpipe.schemas;

import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/** {@link StreamDimensions} in a map, for a single process or tests. */
public final class InMemoryStreamDimensions implements StreamDimensions {

    private final Map<String, Integer> dimensions = new ConcurrentHashMap<>();

    @Override
    public OptionalInt dimension(String stream) {
        Integer d = dimensions.get(stream);
        return d == null ? OptionalInt.empty() : OptionalInt.of(d);
    }

    /** Stores what a valid result learned; does nothing for results that learned nothing. */
    public void record(ValidationResult result) {
        if (result instanceof ValidationResult.Valid valid) {
            valid.learnedDimension().ifPresent(d -> dimensions.putIfAbsent(valid.sample().getStream(), d));
        }
    }
}
