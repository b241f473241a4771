package io.clpipe.app.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.datasets.DataDirectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny {@code reproduce rewarm} through the embedded broker, ingest, the byte-LM learner and the
 * evaluator, on the real man pages: re-warm + re-decay without replay and with 25% replay.
 */
class RewarmIT {

    /** 30 KB of text per domain: 300 steps of 100 windows each. */
    static final RewarmSetting TINY = new RewarmSetting(30_000, 8, 192, 100, 32, 16, new int[] {128}, 3e-3, 20, 7);

    @TempDir
    Path out;

    @Test
    void germanLossFallsAndReplayHoldsEnglishBetterThanNoReplay() throws Exception {
        StringWriter console = new StringWriter();
        RewarmRunner runner = new RewarmRunner(TINY, RewarmReproduction.data(TINY, DataDirectory.resolve()), new PrintWriter(console));
        RewarmRun plain = runner.run(RewarmArm.REWARM, out);
        RewarmRun replay = runner.run(RewarmArm.REPLAY_25, out);
        String table = RewarmTable.of(java.util.List.of(plain, replay)).text();
        System.out.print(table);

        for (RewarmRun run : java.util.List.of(plain, replay)) {
            assertThat(run.iterations()).as(run.arm().label()).isEqualTo(2 * TINY.stepsPerPhase());
            // the new domain is learnt: DE loss at the end of the DE phase is well below its first score in it
            Double deFirst = run.firstWhileLearning(RewarmData.DE, RewarmData.DE);
            Double deLast = run.finalLoss(RewarmData.DE);
            assertThat(deLast).as(run.arm().label() + " DE first %s last %s%n%s", deFirst, deLast, table).isLessThan(deFirst - 0.2);
            SortedMap<Long, Double> en = run.loss(RewarmData.EN);
            assertThat(en.get(en.firstKey())).as("EN is learnt first").isGreaterThan(run.lastWhileLearning(RewarmData.EN, RewarmData.EN));
        }
        // forgetting in loss terms: how far the EN loss rose after the switch, at its worst and at the end
        // (measured at seeds 7 and 3: peak rise 0.23/0.17 without replay vs 0.09/0.05 with, final rise 0.06/0.04 vs -0.05/-0.07)
        double plainPeak = enRise(plain, true);
        double replayPeak = enRise(replay, true);
        assertThat(plainPeak).as("re-warming without replay raises the EN loss%n%s", table).isGreaterThan(0.1);
        assertThat(replayPeak).as("25%% replay: a lower EN loss spike than none%n%s", table).isLessThan(plainPeak - 0.05);
        assertThat(enRise(replay, false)).as("25%% replay: less EN forgotten at the end than none%n%s", table)
                .isLessThan(enRise(plain, false) - 0.04);
        assertThat(out.resolve("rewarm").resolve("report.html")).exists();
    }

    /** EN loss after the switch (its highest, or its last) minus EN loss at the switch. */
    private static double enRise(RewarmRun run, boolean peak) {
        double atSwitch = run.lastWhileLearning(RewarmData.EN, RewarmData.EN);
        return (peak ? run.maxWhileLearning(RewarmData.EN, RewarmData.DE) : run.finalLoss(RewarmData.EN)) - atSwitch;
    }
}
