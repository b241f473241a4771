package io.clpipe.drift;

import java.util.Locale;

/** What a drift detector watches. */
public enum Signal {
    /** The class label (ingest): catches a change of the label distribution (class-incremental streams). */
    LABELS,
    /** Seeded random projections of the feature vector, or a byte histogram of text (ingest): catches covariate shift. */
    FEATURES,
    /** The training loss of the new samples (learner). */
    LOSS;

    public String propertyName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Signal parse(String s) {
        for (Signal v : values()) {
            if (v.propertyName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown drift signal '" + s + "' (expected labels, features or loss)");
    }
}
