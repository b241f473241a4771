package io.clpipe.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NativeEnvironmentTest {

    private static final CpuFeatures AVX2 = new CpuFeatures("x", Set.of("sse4_2", "avx", "avx2", "fma"));
    private static final CpuFeatures AVX512 = new CpuFeatures("x", Set.of("avx2", "avx512f", "avx512bw"));
    private static final CpuFeatures OLD = new CpuFeatures("x", Set.of("sse4_2"));

    @Test
    void choosesTheBestBundledBuildOnlyWhenThePropertyIsUnset() {
        assertThat(NativeEnvironment.chooseExtension(AVX2, null, ext -> true)).contains("-avx2");
        assertThat(NativeEnvironment.chooseExtension(AVX512, null, ext -> true)).contains("-avx512");
        assertThat(NativeEnvironment.chooseExtension(AVX512, null, ext -> ext.equals("-avx2"))).contains("-avx2");
        assertThat(NativeEnvironment.chooseExtension(OLD, null, ext -> true)).isEmpty();
        assertThat(NativeEnvironment.chooseExtension(AVX2, "", ext -> true)).isEmpty();
        assertThat(NativeEnvironment.chooseExtension(AVX2, null, ext -> false)).isEmpty();
    }

    @Test
    void warnsWhenOpenBlasWouldGuessTheCore() {
        assertThat(NativeEnvironment.coretypeWarning(AVX2, Map.of())).get().asString().contains("Haswell");
        assertThat(NativeEnvironment.coretypeWarning(AVX512, Map.of())).get().asString().contains("SkylakeX");
        assertThat(NativeEnvironment.coretypeWarning(AVX2, Map.of("OPENBLAS_CORETYPE", "Zen"))).isEmpty();
        assertThat(NativeEnvironment.coretypeWarning(OLD, Map.of())).isEmpty();
    }

    @Test
    void parsesProcCpuinfo() {
        CpuFeatures cpu = CpuFeatures.parse("processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: fpu avx avx2\n\nprocessor\t: 1\nflags\t: other\n");
        assertThat(cpu.modelName()).isEqualTo("Some CPU");
        assertThat(cpu.flags()).containsExactlyInAnyOrder("fpu", "avx", "avx2");
    }

    @Test
    void theAvx2BuildReallyLoadsOnAnAvx2Cpu() {
        assumeTrue(CpuFeatures.detect().has("avx2"), "CPU without AVX2");
        assumeTrue(System.getProperty(NativeEnvironment.EXTENSION_PROPERTY) == null
                || System.getProperty(NativeEnvironment.EXTENSION_PROPERTY).equals("-avx2"), "extension chosen by the user");
        NativeInfo info = NativeEnvironment.describe();
        System.out.println("native environment: " + info.describe());
        assertThat(info.platformExtension()).isIn("-avx2", "-avx512");
        assertThat(info.binaryLevel()).isGreaterThanOrEqualTo(2);
        assertThat(info.blasVendor()).isEqualTo("OPENBLAS");
    }

    @ParameterizedTest
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void gemmMatchesAPlainJavaMatmul(boolean transA, boolean transB) {
        NativeEnvironment.prepare();
        int m = 37;
        int k = 129;
        int n = 65;
        SplittableRandom random = new SplittableRandom(transA ? 1 : 2);
        float[] a = randoms(random, m * k);
        float[] b = randoms(random, k * n);
        float[] c0 = randoms(random, m * n);
        double[] expected = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
                }
                expected[i * n + j] = 0.5 * s + 2.0 * c0[i * n + j];
            }
        }
        INDArray aArr = Nd4j.create(a, transA ? new long[] {k, m} : new long[] {m, k}, 'c');
        INDArray bArr = Nd4j.create(b, transB ? new long[] {n, k} : new long[] {k, n}, 'c');

        INDArray viaNd4j = Nd4j.create(c0, new long[] {m, n}, 'c');
        Nd4j.gemm(aArr, bArr, viaNd4j, transA, transB, 0.5, 2.0);
        FloatRegion cRegion = FloatRegion.of(Nd4j.create(c0, new long[] {m, n}, 'c'));
        Blas.gemm(transA, transB, m, n, k, 0.5f, FloatRegion.of(aArr), transA ? m : k, FloatRegion.of(bArr), transB ? k : n,
                2.0f, cRegion, n);

        assertThat(viaNd4j.dataType()).isEqualTo(DataType.FLOAT);
        float[] nd4j = viaNd4j.data().asFloat();
        float[] direct = cRegion.owner().data().asFloat();
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) nd4j[i]).as("Nd4j.gemm element %d", i).isCloseTo(expected[i], within(1e-4));
            assertThat((double) direct[i]).as("Blas.gemm element %d", i).isCloseTo(expected[i], within(1e-4));
        }
    }

    private static float[] randoms(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }
}
