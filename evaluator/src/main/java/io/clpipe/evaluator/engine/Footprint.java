package io.clpipe.evaluator.engine;

/**
 * What the engine holds, counted in entries (not bytes): every count is bounded by the number of
 * tasks T, the largest window w and the gap history H, never by the length of the stream.
 *
 * @param tasks        tasks known (learned or only evaluated) ≤ T
 * @param windowValues scores kept for windowed forgetting/plasticity ≤ T·(w − 1)
 * @param matrixCells  accuracy-matrix cells ≤ T²
 * @param openGaps     stability gaps of the current segment ≤ T − 1
 * @param closedGaps   closed stability gaps retained ≤ H
 */
public record Footprint(int tasks, int windowValues, int matrixCells, int openGaps, int closedGaps) {

    public int total() {
        return tasks + windowValues + matrixCells + openGaps + closedGaps;
    }
}
