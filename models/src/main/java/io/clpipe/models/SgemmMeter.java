package io.clpipe.models;

/**
 * Measures single-precision gemm throughput through the very path the models use ({@link Blas} on
 * ND4J buffers), for benchmark reports: the step's share of what the BLAS can do.
 */
public final class SgemmMeter {

    private SgemmMeter() {
    }

    /** Best GFLOP/s over {@code rounds} rounds of {@code reps} {@code C ← A·B} products, A m×k, B k×n. */
    public static double gflops(int m, int n, int k, int reps, int rounds) {
        NativeEnvironment.prepare();
        FloatRegion a = FloatRegion.allocate(m, k);
        FloatRegion b = FloatRegion.allocate(k, n);
        FloatRegion c = FloatRegion.allocate(m, n);
        a.owner().assign(0.5);
        b.owner().assign(0.25);
        for (int i = 0; i < 3; i++) {
            Blas.gemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
        }
        double best = 0;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                Blas.gemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            best = Math.max(best, 2.0 * m * n * k * reps / seconds / 1e9);
        }
        return best;
    }
}
