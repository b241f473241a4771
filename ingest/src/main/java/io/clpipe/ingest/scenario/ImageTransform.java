package io.clpipe.ingest.scenario;

/** A fixed function of an image's pixels that defines a task's input distribution. */
public interface ImageTransform {

    /** A new array; {@code image} is left untouched. */
    float[] apply(float[] image);

    ImageTransform IDENTITY = float[]::clone;
}
