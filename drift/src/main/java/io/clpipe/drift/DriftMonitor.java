package io.clpipe.drift;

import java.util.ArrayList;
import java.util.List;

/**
 * The task-free segmenter of one stream: feeds each sample to the enabled detectors (label test,
 * one ADWIN per feature projection) and reports a change when one fires, at least
 * {@code minSegmentSamples} after the previous report. After a report every detector starts afresh,
 * so the next segment is judged on its own samples only. Holds no Kafka and no I/O; a monitor is
 * rebuilt from its {@link MonitorState} for each sample, as the ingest state store keeps it.
 */
public final class DriftMonitor {

    private final DriftConfig config;
    private final FeatureStatistic statistic;
    private long seen;
    private long sinceDetection;
    private PageHinkley labelPageHinkley;
    private Adwin labelAdwin;
    private final List<Adwin> features = new ArrayList<>();

    public DriftMonitor(DriftConfig config, FeatureStatistic statistic, MonitorState state) {
        if (statistic.projections() != config.projections()) {
            throw new IllegalArgumentException("feature statistic has " + statistic.projections() + " projections, config "
                    + config.projections());
        }
        this.config = config;
        this.statistic = statistic;
        this.seen = state.seen();
        this.sinceDetection = state.sinceDetection();
        this.labelPageHinkley = new PageHinkley(config.pageHinkley(), state.labelPageHinkley());
        this.labelAdwin = new Adwin(config.adwin(), state.labelAdwin());
        // a state written with another number of projections restarts the feature tests
        if (state.features().size() == config.projections()) {
            state.features().forEach(s -> features.add(new Adwin(config.featureAdwin(), s)));
        }
    }

    public static FeatureStatistic statisticOf(DriftConfig config) {
        return new FeatureStatistic(config.projections(), config.projectionSeed());
    }

    /**
     * Observes one sample: its label (or null), its feature vector (or null) and its text (or null).
     *
     * @return the change it reveals, if one is reported now
     */
    public java.util.Optional<Detection> observe(Integer label, List<Float> featureVector, String text) {
        seen++;
        sinceDetection++;
        Signal fired = null;
        String detail = null;
        if (config.watches(Signal.LABELS) && label != null) {
            if (config.labelTest() == LabelTest.PAGE_HINKLEY && labelPageHinkley.add(label)) {
                fired = Signal.LABELS;
                detail = "Page-Hinkley on the label mean";
            } else if (config.labelTest() == LabelTest.ADWIN && labelAdwin.update(label)) {
                fired = Signal.LABELS;
                detail = String.format(java.util.Locale.ROOT, "ADWIN on the label mean (now %.3f over %.0f samples)", labelAdwin.mean(),
                        labelAdwin.width());
            }
        }
        if (config.watches(Signal.FEATURES) && (featureVector != null || text != null)) {
            double[] stats = featureVector != null ? statistic.ofFeatures(featureVector) : statistic.ofText(text);
            if (features.isEmpty()) {
                for (int j = 0; j < stats.length; j++) {
                    features.add(new Adwin(config.featureAdwin()));
                }
            }
            for (int j = 0; j < stats.length; j++) {
                Adwin adwin = features.get(j);
                if (adwin.update(stats[j]) && fired == null) {
                    fired = Signal.FEATURES;
                    detail = String.format(java.util.Locale.ROOT, "ADWIN on feature projection %d (mean now %.3f over %.0f samples)", j,
                            adwin.mean(), adwin.width());
                }
            }
        }
        if (fired == null || sinceDetection < config.minSegmentSamples()) {
            return java.util.Optional.empty();
        }
        sinceDetection = 0;
        labelPageHinkley = new PageHinkley(config.pageHinkley());
        labelAdwin = new Adwin(config.adwin());
        features.clear();
        return java.util.Optional.of(new Detection(fired, seen, detail));
    }

    public MonitorState state() {
        return new MonitorState(seen, sinceDetection, labelPageHinkley.state(), labelAdwin.state(),
                features.stream().map(Adwin::state).toList());
    }
}
