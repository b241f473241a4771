package io.clpipe.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DriftMonitorTest {

    private static final int DIM = 64;

    /** Inputs with structure (bright centre), as images have; task t permutes the positions with a seeded permutation. */
    private static List<Float> input(SplittableRandom random, int[] permutation) {
        float[] x = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            double centre = 1 - Math.abs(i - DIM / 2.0) / (DIM / 2.0);
            x[i] = (float) Math.max(0, centre + random.nextGaussian() * 0.2);
        }
        List<Float> out = new ArrayList<>(DIM);
        for (int i = 0; i < DIM; i++) {
            out.add(x[permutation[i]]);
        }
        return out;
    }

    private static int[] permutation(long seed) {
        int[] p = new int[DIM];
        for (int i = 0; i < DIM; i++) {
            p[i] = i;
        }
        if (seed == 0) {
            return p;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = DIM - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    @Test
    void featureProjectionsSeeAPixelPermutationThatLeavesTheMeanPixelUnchanged() {
        DriftConfig config = DriftConfig.defaults();
        DriftMonitor monitor = new DriftMonitor(config, DriftMonitor.statisticOf(config), MonitorState.EMPTY);
        SplittableRandom random = new SplittableRandom(5);
        List<Long> detections = new ArrayList<>();
        for (int task = 0; task < 3; task++) {
            int[] p = permutation(task);
            for (int i = 0; i < 3000; i++) {
                // labels uniform over 10 classes in every task: the label test must stay quiet
                monitor.observe(random.nextInt(10), input(random, p), null).ifPresent(d -> {
                    assertThat(d.signal()).isEqualTo(Signal.FEATURES);
                    detections.add(d.position());
                });
            }
        }
        assertThat(detections).hasSize(2);
        assertThat(detections.get(0)).isBetween(3001L, 3200L);
        assertThat(detections.get(1)).isBetween(6001L, 6200L);
    }

    @Test
    void labelTestAloneIsBlindToCovariateShift() {
        DriftConfig config = DriftConfig.defaults().withSignals(EnumSet.of(Signal.LABELS));
        DriftMonitor monitor = new DriftMonitor(config, DriftMonitor.statisticOf(config), MonitorState.EMPTY);
        SplittableRandom random = new SplittableRandom(5);
        int found = 0;
        for (int task = 0; task < 3; task++) {
            int[] p = permutation(task);
            for (int i = 0; i < 3000; i++) {
                found += monitor.observe(random.nextInt(10), input(random, p), null).isPresent() ? 1 : 0;
            }
        }
        assertThat(found).isZero();
    }

    @Test
    void aDetectionSoonerThanMinSegmentSamplesAfterTheLastIsIgnored() {
        DriftConfig config = DriftConfig.defaults().withSignals(EnumSet.of(Signal.FEATURES)).withMinSegmentSamples(5000);
        DriftMonitor monitor = new DriftMonitor(config, DriftMonitor.statisticOf(config), MonitorState.EMPTY);
        SplittableRandom random = new SplittableRandom(9);
        List<Long> detections = new ArrayList<>();
        for (int task = 0; task < 4; task++) {
            int[] p = permutation(task);
            for (int i = 0; i < 2000; i++) {
                monitor.observe(null, input(random, p), null).ifPresent(d -> detections.add(d.position()));
            }
        }
        // switches at 2000, 4000, 6000: the first two are found fewer than 5000 samples in and dropped (not deferred),
        // the third is reported
        assertThat(detections).hasSize(1);
        assertThat(detections.get(0)).isBetween(6001L, 6200L);
    }

    @Test
    void textByteHistogramSeesALanguageChange() {
        DriftConfig config = DriftConfig.defaults().withSignals(EnumSet.of(Signal.FEATURES));
        DriftMonitor monitor = new DriftMonitor(config, DriftMonitor.statisticOf(config), MonitorState.EMPTY);
        SplittableRandom random = new SplittableRandom(2);
        String[] english = {"the quick brown fox jumps over the lazy dog", "file not found, try again", "print the manual page"};
        String[] greek = {"το γρήγορο καφέ αλεπού πηδά", "το αρχείο δεν βρέθηκε", "εκτύπωση της σελίδας"};
        List<Long> at = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            String[] lang = i < 2000 ? english : greek;
            monitor.observe(null, null, lang[random.nextInt(3)]).ifPresent(d -> at.add(d.position()));
        }
        assertThat(at).hasSize(1);
        assertThat(at.get(0)).isBetween(2001L, 2100L);
    }

    @Test
    void stateSurvivesTheCodecAndResumesIdentically() throws IOException {
        DriftConfig config = DriftConfig.defaults();
        FeatureStatistic statistic = DriftMonitor.statisticOf(config);
        SplittableRandom random = new SplittableRandom(11);
        List<List<Float>> inputs = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int task = 0; task < 3; task++) {
            for (int i = 0; i < 1500; i++) {
                inputs.add(input(random, permutation(task)));
                labels.add(random.nextInt(10));
            }
        }
        DriftMonitor straight = new DriftMonitor(config, statistic, MonitorState.EMPTY);
        List<Optional<Detection>> expected = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            expected.add(straight.observe(labels.get(i), inputs.get(i), null));
        }
        // a monitor rebuilt from serialized state before every sample, as ingest does
        MonitorState state = MonitorState.EMPTY;
        List<Optional<Detection>> actual = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            DriftMonitor m = new DriftMonitor(config, statistic, roundTrip(state));
            actual.add(m.observe(labels.get(i), inputs.get(i), null));
            state = m.state();
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(expected.stream().filter(Optional::isPresent).count()).isEqualTo(2);
    }

    @Test
    void settingsComeFromProperties() {
        Properties p = new Properties();
        p.setProperty("drift.signals", "features,loss");
        p.setProperty("drift.adwin.delta", "0.0001");
        p.setProperty("drift.adwin.grace.period", "100");
        p.setProperty("drift.features.projections", "8");
        p.setProperty("drift.min.segment.samples", "2000");
        p.setProperty("drift.label.test", "page-hinkley");
        p.setProperty("other.key", "ignored");
        DriftConfig c = DriftConfig.fromProperties(p, DriftConfig.defaults());
        assertThat(c.signals()).containsExactlyInAnyOrder(Signal.FEATURES, Signal.LOSS);
        assertThat(c.adwin().delta()).isEqualTo(0.0001);
        assertThat(c.adwin().gracePeriod()).isEqualTo(100);
        assertThat(c.featureAdwin().delta()).isEqualTo(0.0001 / 8);
        assertThat(c.minSegmentSamples()).isEqualTo(2000);
        assertThat(c.labelTest()).isEqualTo(LabelTest.PAGE_HINKLEY);
        p.setProperty("drift.adwin.delt", "0.1");
        assertThatThrownBy(() -> DriftConfig.fromProperties(p, DriftConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drift.adwin.delt");
    }

    private static MonitorState roundTrip(MonitorState s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DriftStateCodec.write(new DataOutputStream(bytes), s);
        return DriftStateCodec.readMonitor(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }
}
