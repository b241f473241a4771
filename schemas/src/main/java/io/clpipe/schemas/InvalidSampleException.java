package io.clpipe.schemas;

import org.apache.kafka.common.errors.SerializationException;

/** Thrown by {@link SampleJson#parse(byte[])} and {@link SampleDecoder}; carries the {@link Rejection}. */
public final class InvalidSampleException extends SerializationException {

    private final transient Rejection rejection;

    public InvalidSampleException(Rejection rejection) {
        super(rejection.toString());
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }
}
