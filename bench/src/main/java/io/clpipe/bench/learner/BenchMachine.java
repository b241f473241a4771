package io.clpipe.bench.learner;

import io.clpipe.models.CpuFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a benchmark ran on: CPU, cores, load and the BLAS environment. */
final class BenchMachine {

    private BenchMachine() {
    }

    static String describe() {
        return String.format(Locale.ROOT, "%s, %d cores, load average %s; OPENBLAS_CORETYPE=%s OMP_NUM_THREADS=%s"
                        + " OPENBLAS_NUM_THREADS=%s", CpuFeatures.detect().modelName(), Runtime.getRuntime().availableProcessors(),
                loadAverage(), env("OPENBLAS_CORETYPE"), env("OMP_NUM_THREADS"), env("OPENBLAS_NUM_THREADS"));
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String env(String key) {
        String v = System.getenv(key);
        return v == null ? "unset" : v;
    }
}
