package io.clpipe.evaluator.engine;

/**
 * The stability gap of one old task at one boundary, measured over the evaluations from the boundary
 * up to the next boundary (or up to now while {@code open}).
 *
 * @param boundaryIteration  b, the first iteration of the new task
 * @param task               the old task
 * @param before             its last score before b ("just before the boundary")
 * @param beforeIteration    the iteration of that score
 * @param worst              its worst score since b; null if not evaluated since b
 * @param worstIteration     the iteration of the worst score; null with it
 * @param depth              drop from {@code before} to {@code worst} (accuracy fall or loss rise,
 *                           positive = worse, not floored); null if not evaluated since b
 * @param recoveryIterations n − b at the first evaluation n that is back within the tolerance of
 *                           {@code before} after having left it; 0 if it never left; null if it left
 *                           and has not come back, or was not evaluated since b
 * @param open               true while the segment after b is still being learned
 */
public record StabilityGap(long boundaryIteration, String task, double before, long beforeIteration, Double worst,
                           Long worstIteration, Double depth, Long recoveryIterations, boolean open) {
}
