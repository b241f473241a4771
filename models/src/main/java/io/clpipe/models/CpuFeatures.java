package io.clpipe.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The CPU's model name and instruction-set flags, as /proc/cpuinfo lists them (empty elsewhere). */
public record CpuFeatures(String modelName, Set<String> flags) {

    public CpuFeatures {
        flags = Set.copyOf(flags);
    }

    public static CpuFeatures detect() {
        return read(Path.of("/proc/cpuinfo"));
    }

    static CpuFeatures read(Path cpuinfo) {
        try {
            return parse(Files.readString(cpuinfo));
        } catch (IOException | RuntimeException e) {
            return new CpuFeatures("unknown", Set.of());
        }
    }

    /** Parses the first processor block of a /proc/cpuinfo text. */
    public static CpuFeatures parse(String cpuinfo) {
        String model = "unknown";
        Set<String> flags = Set.of();
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("model name") && model.equals("unknown")) {
                model = value;
            } else if (key.equals("flags") && flags.isEmpty()) {
                flags = Arrays.stream(value.split("\\s+")).filter(f -> !f.isEmpty()).collect(Collectors.toSet());
            }
        }
        return new CpuFeatures(model, flags);
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }
}
