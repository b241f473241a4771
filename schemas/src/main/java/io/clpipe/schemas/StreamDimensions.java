package io.clpipe.schemas;

import java.util.OptionalInt;

/**
 * Feature dimensions that streams without a configured one have learned from their first valid
 * sample. {@link SampleValidator} only reads it; the caller stores what
 * {@link ValidationResult.Valid#learnedDimension()} reports, e.g. in a Kafka Streams state store
 * (then keyed by stream, the state is partitioned like the samples).
 */
@FunctionalInterface
public interface StreamDimensions {

    OptionalInt dimension(String stream);

    /** A view that knows no dimension: every stream's next valid sample would fix one. */
    static StreamDimensions none() {
        return stream -> OptionalInt.empty();
    }
}
