package io.clpipe.app.reproduce;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table of {@code reproduce rewarm}: per arm, final validation loss (nats per byte) on EN, DE and
 * their mean (Ibrahim et al. 2024, table 2's columns), bits per byte, and how the EN loss moved
 * during the DE phase (lower is better everywhere; a rise is forgetting).
 */
final class RewarmTable {

    static final double LN2 = Math.log(2);

    private RewarmTable() {
    }

    static TextTable of(List<RewarmRun> runs) {
        Double unionMean = mean(runs, RewarmArm.UNION);
        Double rewarmMean = mean(runs, RewarmArm.REWARM);
        List<List<String>> rows = new ArrayList<>();
        for (RewarmRun r : runs) {
            Double en = r.finalLoss(RewarmData.EN);
            Double de = r.finalLoss(RewarmData.DE);
            Double mean = en == null || de == null ? null : (en + de) / 2;
            boolean union = r.arm() == RewarmArm.UNION;
            Double enBefore = union ? null : r.lastWhileLearning(RewarmData.EN, RewarmData.EN);
            Double enPeak = union ? null : r.maxWhileLearning(RewarmData.EN, RewarmData.DE);
            Double closed = r.arm().replay() == 0 || mean == null || unionMean == null || rewarmMean == null
                    || rewarmMean.equals(unionMean) ? null : (rewarmMean - mean) / (rewarmMean - unionMean);
            rows.add(List.of(r.arm().label(), policy(r.arm()), TextTable.number(en), TextTable.number(de), TextTable.number(mean),
                    TextTable.number(bits(en)), TextTable.number(bits(de)), TextTable.number(enBefore),
                    TextTable.number(enPeak == null || enBefore == null ? null : enPeak - enBefore),
                    TextTable.number(en == null || enBefore == null ? null : en - enBefore),
                    closed == null ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * closed)));
        }
        return new TextTable(List.of("arm", "replay", "EN loss", "DE loss", "mean", "EN bpb", "DE bpb", "EN at switch",
                "EN peak rise", "EN final rise", "gap closed"), rows);
    }

    static Double bits(Double nats) {
        return nats == null ? null : nats / LN2;
    }

    private static Double mean(List<RewarmRun> runs, RewarmArm arm) {
        for (RewarmRun r : runs) {
            Double en = r.finalLoss(RewarmData.EN);
            Double de = r.finalLoss(RewarmData.DE);
            if (r.arm() == arm && en != null && de != null) {
                return (en + de) / 2;
            }
        }
        return null;
    }

    private static String policy(RewarmArm arm) {
        String share = arm.replay() == 0 ? "0%" : String.format(Locale.ROOT, "%.0f%%", 100 * arm.replay());
        return arm.replayPolicy() == null ? share : share + " " + arm.replayPolicy();
    }

    static final String COLUMNS = "Losses are mean cross-entropy per byte in nats on held-out man pages (bpb = nats / ln 2), at the "
            + "last evaluation; 'EN at switch' is the EN loss at the last evaluation before the switch to DE, 'EN peak rise' the "
            + "largest EN loss during the DE phase minus that (the stability gap in loss terms), 'EN final rise' the final EN loss "
            + "minus that (forgetting); 'gap closed' how much of the mean-loss gap between 'rewarm' (0% replay) and 'union' a replay arm "
            + "closes (100% = as good as the union). Replay 'past' draws from EN only (the DE phase's batches; the EN phase's are all new), "
            + "'task-balanced' from a buffer holding both domains, in both phases. Lower is better in every loss column.";
}
