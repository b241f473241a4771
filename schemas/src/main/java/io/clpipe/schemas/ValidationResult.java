package io.clpipe.schemas;

import io.clpipe.schemas.avro.Sample;
import java.util.OptionalInt;

/** Outcome of {@link SampleValidator#validate}: a {@link Valid} sample or a {@link Rejection}. */
public sealed interface ValidationResult permits ValidationResult.Valid, Rejection {

    /**
     * @param sample            complete: stream, sampleId and ingestTime are set
     * @param learnedDimension  present when this sample fixed its stream's feature dimension (the
     *                          stream had none configured or stored): the caller must store it in its
     *                          {@link StreamDimensions} before validating the stream's next record
     */
    record Valid(Sample sample, OptionalInt learnedDimension) implements ValidationResult {
    }
}
