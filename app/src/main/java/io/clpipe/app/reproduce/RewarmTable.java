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
        List<List<String>> rows = new ArrayList<>();
        for (RewarmRun r : runs) {
            Double en = r.finalLoss(RewarmData.EN);
            Double de = r.finalLoss(RewarmData.DE);
            Double mean = en == null || de == null ? null : (en + de) / 2;
            boolean union = r.arm() == RewarmArm.UNION;
            Double enBefore = union ? null : r.lastWhileLearning(RewarmData.EN, RewarmData.EN);
            Double enPeak = union ? null : r.maxWhileLearning(RewarmData.EN, RewarmData.DE);
            rows.add(List.of(r.arm().label(), percent(r.arm().replay()), TextTable.number(en), TextTable.number(de), TextTable.number(mean),
                    TextTable.number(bits(en)), TextTable.number(bits(de)), TextTable.number(enBefore),
                    TextTable.number(enPeak == null || enBefore == null ? null : enPeak - enBefore),
                    TextTable.number(en == null || enBefore == null ? null : en - enBefore)));
        }
        return new TextTable(List.of("arm", "replay", "EN loss", "DE loss", "mean", "EN bpb", "DE bpb", "EN at switch",
                "EN peak rise", "EN final rise"), rows);
    }

    static Double bits(Double nats) {
        return nats == null ? null : nats / LN2;
    }

    private static String percent(double r) {
        return r == 0 ? "0%" : String.format(Locale.ROOT, "%.0f%%", 100 * r);
    }

    static final String COLUMNS = "Losses are mean cross-entropy per byte in nats on held-out man pages (bpb = nats / ln 2), at the "
            + "last evaluation; 'EN at switch' is the EN loss at the last evaluation before the switch to DE, 'EN peak rise' the "
            + "largest EN loss during the DE phase minus that (the stability gap in loss terms), 'EN final rise' the final EN loss "
            + "minus that (forgetting). Lower is better in every column.";
}
