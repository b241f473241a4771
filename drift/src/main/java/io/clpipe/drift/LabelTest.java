package io.clpipe.drift;

import java.util.Locale;

/** The test run on the label signal. */
public enum LabelTest {
    PAGE_HINKLEY, ADWIN;

    public String propertyName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static LabelTest parse(String s) {
        for (LabelTest v : values()) {
            if (v.propertyName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown label drift test '" + s + "' (expected page-hinkley or adwin)");
    }
}
