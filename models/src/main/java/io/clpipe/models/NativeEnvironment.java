package io.clpipe.models;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses ND4J's native build for this CPU before ND4J loads, and describes the native setup.
 *
 * <p>ND4J ships a generic build and CPU-specific ones (classifier {@code linux-x86_64-avx2}, …);
 * JavaCPP picks one from the system property {@link #EXTENSION_PROPERTY}, read once when ND4J's
 * backend loads. {@link #prepare()} must therefore run before the first ND4J call; the model
 * factory calls it. A value the user already set is kept.
 *
 * <p>{@code OPENBLAS_CORETYPE} and {@code OMP_NUM_THREADS} are environment variables, read by the
 * native libraries at load time, so they cannot be set from here: {@code scripts/blas-env.sh} sets
 * them before the JVM starts. This class only warns when they are missing.
 */
public final class NativeEnvironment {

    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    private static final Logger LOG = LoggerFactory.getLogger(NativeEnvironment.class);

    private NativeEnvironment() {
    }

    /** Class-initialisation holder: the choice is made, applied and logged exactly once per JVM. */
    private static final class Choice {
        static final String EXTENSION = applyOnce();
    }

    /**
     * Selects the native build (idempotent). Call before anything touches ND4J.
     *
     * @return the platform extension in force ({@code "-avx2"}, or {@code ""} for the generic build)
     */
    public static String prepare() {
        return Choice.EXTENSION;
    }

    /** Prepares, loads ND4J if needed, and reports what actually runs. */
    public static NativeInfo describe() {
        String extension = prepare();
        var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        Map<String, String> env = System.getenv();
        return new NativeInfo(CpuFeatures.detect().modelName(), extension, ops.binaryLevel(), ops.optimalLevel(),
                env.getOrDefault("OPENBLAS_CORETYPE", "unset"), env.getOrDefault("OMP_NUM_THREADS", "unset"),
                Nd4j.getBackend().getClass().getSimpleName(), Nd4j.factory().blas().getBlasVendor().name(),
                blasThreads());
    }

    /** Threads OpenBLAS uses for gemm (a process-wide native setting). */
    public static int blasThreads() {
        prepare();
        Nd4j.factory();
        return openblas_nolapack.blas_get_num_threads();
    }

    /** Sets the OpenBLAS thread count for every following gemm in this process. */
    public static void blasThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("BLAS threads must be >= 1, got " + threads);
        }
        prepare();
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    private static String applyOnce() {
        CpuFeatures cpu = CpuFeatures.detect();
        String current = System.getProperty(EXTENSION_PROPERTY);
        Optional<String> chosen = chooseExtension(cpu, current, NativeEnvironment::bundled);
        if (chosen.isPresent()) {
            System.setProperty(EXTENSION_PROPERTY, chosen.get());
            LOG.info("ND4J native build: {} (cpu: {})", chosen.get().substring(1), cpu.modelName());
        } else if (current != null) {
            LOG.info("ND4J native build: {} (set by {})", current.isEmpty() ? "generic" : current.substring(1), EXTENSION_PROPERTY);
        } else {
            LOG.info("ND4J native build: generic (cpu has no AVX2 or no matching build is on the class path)");
        }
        coretypeWarning(cpu, System.getenv()).ifPresent(LOG::warn);
        String inForce = System.getProperty(EXTENSION_PROPERTY);
        return inForce == null ? "" : inForce;
    }

    /**
     * The build to select, or empty to leave the property alone (already set, or nothing better
     * than the generic build).
     *
     * @param bundled whether the ND4J build for an extension (e.g. {@code "-avx2"}) is on the class path
     */
    static Optional<String> chooseExtension(CpuFeatures cpu, String current, Predicate<String> bundled) {
        if (current != null) {
            return Optional.empty();
        }
        if (cpu.has("avx512f") && cpu.has("avx512bw") && bundled.test("-avx512")) {
            return Optional.of("-avx512");
        }
        if (cpu.has("avx2") && bundled.test("-avx2")) {
            return Optional.of("-avx2");
        }
        return Optional.empty();
    }

    /** A warning when OpenBLAS will guess the core itself (docs/benchmarks.md: it misdetects and runs 2.5–4× slow). */
    static Optional<String> coretypeWarning(CpuFeatures cpu, Map<String, String> env) {
        String coretype = env.get("OPENBLAS_CORETYPE");
        if ((coretype == null || coretype.isBlank()) && (cpu.has("avx512f") || cpu.has("avx2"))) {
            String suggestion = cpu.has("avx512f") ? "SkylakeX" : "Haswell";
            return Optional.of("OPENBLAS_CORETYPE is unset on a CPU with " + (cpu.has("avx512f") ? "AVX-512" : "AVX2")
                    + ": OpenBLAS may misdetect the core and run sgemm 2.5-4x slower. Start the JVM through"
                    + " ./clpipe or scripts/blas-env.sh, or export OPENBLAS_CORETYPE=" + suggestion + ".");
        }
        return Optional.empty();
    }

    private static boolean bundled(String extension) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return false;
        }
        String platform = (os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macosx" : "windows") + "-x86_64";
        String resource = "org/nd4j/linalg/cpu/nativecpu/bindings/" + platform + extension + "/"
                + System.mapLibraryName("jnind4jcpu");
        return NativeEnvironment.class.getClassLoader().getResource(resource) != null;
    }
}
