package io.clpipe.bench.e2e;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What {@code clpipe bench e2e} measured.
 *
 * @param ingest                ingest: first record routed → all routed (train, eval and dead letters)
 * @param learner               the learner in the pipeline: first sample trained → last full batch
 * @param e2e                   first record produced → last full batch trained
 * @param learnerAlone          a fresh learner draining the train topic ingest filled, alone, timed as {@code learner}
 * @param evaluatorIterationLag learner iteration minus the evaluator's last evaluated one, when the last batch was trained
 * @param evaluatorRecordLag    records the evaluator's consumers were behind then (clpipe.kafka.consumer.lag; −1 unknown)
 * @param produceSeconds        the producer's time from the first send to the last acknowledgement
 */
public record E2eResult(E2eConfig config, Rate ingest, Rate learner, Rate e2e, Rate learnerAlone, long evaluatorIterationLag,
                        long evaluatorRecordLag, double produceSeconds) {

    /** e2e samples/s over the learner service's own samples/s, measured in the same run. */
    public double ratio() {
        return e2e.perSecond() / learnerAlone.perSecond();
    }

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "| %s input, %,d samples | records or samples/s | count | seconds |%n|---|---|---|---|%n",
                config.format(), config.samples());
        out.printf(Locale.ROOT, "| producer (send → last ack) | %,.0f | %,d | %.1f |%n", config.samples() / produceSeconds,
                config.samples(), produceSeconds);
        row(out, "ingest (first routed → last)", ingest);
        row(out, "learner in the pipeline (first trained → last full batch)", learner);
        row(out, "**e2e** (first produced → last full batch trained)", e2e);
        row(out, "learner service alone (drains the train topic)", learnerAlone);
        out.printf(Locale.ROOT, "evaluator lag at the end: %d iterations, %d records%n", evaluatorIterationLag, evaluatorRecordLag);
    }

    private static void row(PrintStream out, String what, Rate r) {
        out.printf(Locale.ROOT, "| %s | %,.0f | %,d | %.1f |%n", what, r.perSecond(), r.count(), r.seconds());
    }

    /** {@code e2e samples/s = N (ingest records/s = I, learner samples/s = L, learner alone = A, e2e/alone = R)}. */
    public String summaryLine() {
        return String.format(Locale.ROOT, "e2e samples/s = %.0f (%s; ingest records/s = %.0f, learner samples/s = %.0f,"
                        + " learner alone = %.0f, e2e/alone = %.2f)", e2e.perSecond(), config.format(), ingest.perSecond(),
                learner.perSecond(), learnerAlone.perSecond(), ratio());
    }
}
