package io.clpipe.models;

/**
 * What native code ND4J runs on, for logs and benchmark reports.
 *
 * @param platformExtension  the ND4J build chosen ({@code -avx2}, or empty for the generic one)
 * @param binaryLevel        what libnd4j reports it was compiled for: 0 generic, 2 AVX2, 3 AVX-512
 * @param optimalLevel       the best level this CPU supports, as libnd4j sees it
 * @param openblasCoretype   the {@code OPENBLAS_CORETYPE} environment variable, or "unset"
 * @param ompNumThreads      the {@code OMP_NUM_THREADS} environment variable, or "unset"
 * @param blasThreads        OpenBLAS threads now in use for gemm
 */
public record NativeInfo(String cpuModel, String platformExtension, int binaryLevel, int optimalLevel,
                         String openblasCoretype, String ompNumThreads, String backend, String blasVendor,
                         int blasThreads) {

    public String describe() {
        return "cpu=" + cpuModel
                + " nd4j=" + backend + (platformExtension.isEmpty() ? " (generic build)" : " (" + platformExtension.substring(1) + " build)")
                + " binaryLevel=" + binaryLevel + "/" + optimalLevel
                + " blas=" + blasVendor + " blasThreads=" + blasThreads
                + " OPENBLAS_CORETYPE=" + openblasCoretype
                + " OMP_NUM_THREADS=" + ompNumThreads;
    }
}
