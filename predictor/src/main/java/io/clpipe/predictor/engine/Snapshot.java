package io.clpipe.predictor.engine;

/**
 * What the predictor needs of a published model snapshot (decoded and checksum-verified by the caller).
 *
 * @param modelSpec  the snapshot's one-line model spec (ModelSpecCodec)
 * @param parameters the flat float32 parameter vector
 */
public record Snapshot(String stream, long version, String task, String modelSpec, float[] parameters) {
}
