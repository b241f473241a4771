package io.clpipe.models;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Row-major sgemm straight into OpenBLAS (the same library and entry point ND4J's own Level3
 * uses), on preallocated ND4J buffers. {@code Nd4j.gemm} goes through the generic custom-op path
 * and measured 20–45 µs slower per call here (more with 2 BLAS threads), which is a third of the
 * compute time of the small layers.
 */
final class Blas {

    private Blas() {
    }

    /** {@code C ← alpha·op(A)·op(B) + beta·C} with {@code op(A)} m×k, {@code op(B)} k×n, C m×n, all row-major. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     FloatRegion a, int lda, FloatRegion b, int ldb, float beta, FloatRegion c, int ldc) {
        require(a, transA ? k : m, lda, "A");
        require(b, transB ? n : k, ldb, "B");
        require(c, m, ldc, "C");
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, alpha, a.pointer(), lda, b.pointer(), ldb, beta, c.pointer(), ldc);
    }

    /**
     * The same on raw pointers (their positions are the matrices' first elements), for sub-matrices
     * of a larger buffer such as one attention head of one window; the caller keeps them in bounds.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     FloatPointer a, int lda, FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static void require(FloatRegion region, int rows, int ld, String name) {
        if ((long) rows * ld > region.length()) {
            throw new IllegalArgumentException(name + ": " + rows + " rows of stride " + ld + " exceed a region of " + region.length());
        }
    }
}
