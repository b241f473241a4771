package io.clpipe.schemas;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Rules of {@link SampleValidator}. Build from {@link #defaults()} with the {@code with…} methods.
 *
 * @param defaultFeatureDim feature dimension of streams not in {@code featureDims}; when empty, each
 *                          such stream's first valid sample fixes it (see {@link StreamDimensions})
 * @param featureDims       feature dimension by stream
 * @param numClasses        labels must lie in {@code [0, numClasses)}; when empty, any label ≥ 0
 * @param maxRecordBytes    largest accepted record value
 * @param maxTextChars      longest accepted {@code text}, in UTF-16 chars ({@link String#length()})
 */
public record ValidationConfig(OptionalInt defaultFeatureDim, Map<String, Integer> featureDims,
                               OptionalInt numClasses, int maxRecordBytes, int maxTextChars) {

    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_TEXT_CHARS = 1 << 16;

    public ValidationConfig {
        featureDims = Map.copyOf(featureDims);
        defaultFeatureDim.ifPresent(d -> requirePositive("default feature dimension", d));
        featureDims.forEach((stream, d) -> requirePositive("feature dimension of stream " + stream, d));
        numClasses.ifPresent(n -> requirePositive("number of classes", n));
        requirePositive("max record bytes", maxRecordBytes);
        requirePositive("max text chars", maxTextChars);
    }

    /** Dimensions learned per stream, no label bound, 1 MiB records, 64 Ki chars of text. */
    public static ValidationConfig defaults() {
        return new ValidationConfig(OptionalInt.empty(), Map.of(), OptionalInt.empty(),
                DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_TEXT_CHARS);
    }

    public ValidationConfig withDefaultFeatureDim(int dim) {
        return new ValidationConfig(OptionalInt.of(dim), featureDims, numClasses, maxRecordBytes, maxTextChars);
    }

    public ValidationConfig withFeatureDim(String stream, int dim) {
        Map<String, Integer> dims = new HashMap<>(featureDims);
        dims.put(stream, dim);
        return new ValidationConfig(defaultFeatureDim, dims, numClasses, maxRecordBytes, maxTextChars);
    }

    public ValidationConfig withNumClasses(int classes) {
        return new ValidationConfig(defaultFeatureDim, featureDims, OptionalInt.of(classes), maxRecordBytes, maxTextChars);
    }

    public ValidationConfig withMaxRecordBytes(int bytes) {
        return new ValidationConfig(defaultFeatureDim, featureDims, numClasses, bytes, maxTextChars);
    }

    public ValidationConfig withMaxTextChars(int chars) {
        return new ValidationConfig(defaultFeatureDim, featureDims, numClasses, maxRecordBytes, chars);
    }

    /** The configured dimension of {@code stream}: its own, else the default, else empty. */
    public OptionalInt featureDim(String stream) {
        Integer own = featureDims.get(stream);
        return own != null ? OptionalInt.of(own) : defaultFeatureDim;
    }

    private static void requirePositive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }
}
