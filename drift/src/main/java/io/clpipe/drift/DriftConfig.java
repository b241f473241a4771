package io.clpipe.drift;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Drift detection settings, shared by ingest (labels, features) and the learner (loss). Keys are
 * listed in docs/operations.md ("Drift detection").
 *
 * @param signals           what is watched; ingest uses LABELS and FEATURES, the learner LOSS
 * @param labelTest         the test on the label signal
 * @param pageHinkley       Page-Hinkley settings (label test page-hinkley)
 * @param adwin             ADWIN settings (labels with test adwin, features, loss); with k feature projections each
 *                          projection's ADWIN runs at delta / k, so that k tests together keep the stated false-alarm bound
 * @param projections       k, the number of random projections of the feature vector
 * @param projectionSeed    seed of the projections' signs (changing it changes which shifts are seen first)
 * @param minSegmentSamples samples between two detections: a detection sooner after the last is ignored
 * @param maxSegments       a stream gets at most this many segments (segment-0 … segment-(max−1)); later detections
 *                          are reported as ignored, so state, eval sets and metrics never grow without bound
 */
public record DriftConfig(Set<Signal> signals, LabelTest labelTest, PageHinkleyConfig pageHinkley, AdwinConfig adwin,
                          int projections, long projectionSeed, long minSegmentSamples, int maxSegments) {

    public static final String PREFIX = "drift.";

    public DriftConfig {
        signals = signals.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(signals));
        if (projections < 1 || projections > 64) {
            throw new IllegalArgumentException("drift.features.projections must lie in [1, 64], got " + projections);
        }
        if (minSegmentSamples < 0) {
            throw new IllegalArgumentException("drift.min.segment.samples must be >= 0, got " + minSegmentSamples);
        }
        if (maxSegments < 1) {
            throw new IllegalArgumentException("drift.max.segments must be >= 1, got " + maxSegments);
        }
    }

    /** Labels (ADWIN; Page-Hinkley's fixed thresholds assume a known label spread) and features (ADWIN, 4 projections); 500 samples between detections; at most 100 segments. */
    public static DriftConfig defaults() {
        return new DriftConfig(EnumSet.of(Signal.LABELS, Signal.FEATURES), LabelTest.ADWIN, PageHinkleyConfig.forLabels(),
                AdwinConfig.defaults(), 4, 13, 500, 100);
    }

    public boolean watches(Signal s) {
        return signals.contains(s);
    }

    /** The ADWIN settings of one feature projection (delta shared among the k projections). */
    public AdwinConfig featureAdwin() {
        return adwin.withDelta(adwin.delta() / projections);
    }

    public DriftConfig withSignals(Set<Signal> s) {
        return new DriftConfig(s, labelTest, pageHinkley, adwin, projections, projectionSeed, minSegmentSamples, maxSegments);
    }

    public DriftConfig withAdwin(AdwinConfig a) {
        return new DriftConfig(signals, labelTest, pageHinkley, a, projections, projectionSeed, minSegmentSamples, maxSegments);
    }

    public DriftConfig withMinSegmentSamples(long n) {
        return new DriftConfig(signals, labelTest, pageHinkley, adwin, projections, projectionSeed, n, maxSegments);
    }

    /**
     * Settings from {@code drift.*} keys of {@code props} over {@code base}; other keys are ignored, an unknown
     * {@code drift.*} key is an error (a typo must not silently leave a default in place).
     */
    public static DriftConfig fromProperties(Properties props, DriftConfig base) {
        Set<String> known = Set.of("drift.signals", "drift.label.test", "drift.ph.delta", "drift.ph.lambda",
                "drift.ph.min.samples", "drift.adwin.delta", "drift.adwin.clock", "drift.adwin.max.buckets",
                "drift.adwin.min.window", "drift.adwin.grace.period", "drift.adwin.max.width", "drift.features.projections",
                "drift.features.seed", "drift.min.segment.samples", "drift.max.segments");
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith(PREFIX) && !known.contains(key)) {
                throw new IllegalArgumentException("unknown drift setting '" + key + "'; known: " + known.stream().sorted().toList());
            }
        }
        Reader r = new Reader(props);
        Set<Signal> signals = r.has("drift.signals") ? parseSignals(r.string("drift.signals")) : base.signals();
        PageHinkleyConfig ph = new PageHinkleyConfig(r.dbl("drift.ph.delta", base.pageHinkley().delta()),
                r.dbl("drift.ph.lambda", base.pageHinkley().lambda()),
                r.lng("drift.ph.min.samples", base.pageHinkley().minSamples()));
        AdwinConfig a = base.adwin();
        AdwinConfig adwin = new AdwinConfig(r.dbl("drift.adwin.delta", a.delta()), (int) r.lng("drift.adwin.clock", a.clock()),
                (int) r.lng("drift.adwin.max.buckets", a.maxBuckets()), (int) r.lng("drift.adwin.min.window", a.minWindowLength()),
                (int) r.lng("drift.adwin.grace.period", a.gracePeriod()), r.lng("drift.adwin.max.width", a.maxWidth()));
        LabelTest test = r.has("drift.label.test") ? LabelTest.parse(r.string("drift.label.test")) : base.labelTest();
        return new DriftConfig(signals, test, ph, adwin, (int) r.lng("drift.features.projections", base.projections()),
                r.lng("drift.features.seed", base.projectionSeed()), r.lng("drift.min.segment.samples", base.minSegmentSamples()),
                (int) r.lng("drift.max.segments", base.maxSegments()));
    }

    public static Set<Signal> parseSignals(String csv) {
        if (csv.isBlank() || csv.trim().equals("none")) {
            return Set.of();
        }
        return Arrays.stream(csv.split(",")).map(Signal::parse).collect(Collectors.toCollection(() -> EnumSet.noneOf(Signal.class)));
    }

    /** One line for logs. */
    public String describe() {
        return "signals " + signals.stream().map(Signal::propertyName).sorted().toList() + ", label test " + labelTest.propertyName()
                + ", ADWIN delta " + adwin.delta() + " clock " + adwin.clock() + " grace " + adwin.gracePeriod() + " max width "
                + adwin.maxWidth() + ", " + projections + " projections (seed " + projectionSeed + "), min " + minSegmentSamples
                + " samples between detections, max " + maxSegments + " segments";
    }

    private record Reader(Properties props) {
        boolean has(String key) {
            return props.getProperty(key) != null;
        }

        String string(String key) {
            return props.getProperty(key).trim();
        }

        double dbl(String key, double fallback) {
            if (!has(key)) {
                return fallback;
            }
            try {
                return Double.parseDouble(string(key));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a number, got '" + string(key) + "'", e);
            }
        }

        long lng(String key, long fallback) {
            if (!has(key)) {
                return fallback;
            }
            try {
                return Long.parseLong(string(key));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be an integer, got '" + string(key) + "'", e);
            }
        }
    }
}
