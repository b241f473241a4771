package io.clpipe.app.report;

import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.MetricsSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One headline metric of a run: its value (null when undefined), which way is better and what it
 * means in one line.
 *
 * @param console whether the terminal table shows it (the report shows all)
 */
record Headline(String label, Double value, String unit, String better, String meaning, boolean console) {

    String formatted() {
        if (value == null) {
            return "n/a";
        }
        return unit.isEmpty() ? String.format(Locale.ROOT, "%.4f", value) : String.format(Locale.ROOT, "%.1f %s", value, unit);
    }

    static List<Headline> of(RunSummary summary) {
        MetricsSnapshot s = summary.snapshot();
        boolean accuracy = s.direction() == Direction.ACCURACY;
        String level = accuracy ? "higher" : "lower";
        String score = accuracy ? "accuracy" : "validation loss";
        String drop = accuracy ? "drop" : "rise";
        int w = summary.window();
        List<Headline> out = new ArrayList<>();
        out.add(new Headline("ACC", s.acc(), "", level, "mean current " + score + " over the tasks learned so far", true));
        out.add(new Headline("min-ACC", s.minAcc(), "", level,
                "mean over earlier tasks of their worst " + score + " since they were learned (De Lange et al. 2023)", true));
        out.add(new Headline("WC-ACC", s.wcAcc(), "", level,
                "worst case: current task's " + score + "/k + (1 − 1/k)·min-ACC, k tasks learned", true));
        out.add(new Headline("WF" + w, s.wf(w), "", "lower",
                "largest " + score + " " + drop + " within " + w + " consecutive evaluations, mean over tasks", true));
        out.add(new Headline("WP" + w, s.wp(w), "", "higher",
                "largest improvement within " + w + " consecutive evaluations, mean over tasks", false));
        out.add(new Headline("LCA", s.lca(), "", level,
                "mean of the first 10 " + score + " values while learning each task: how fast a task is picked up", false));
        out.add(new Headline("forgetting", s.forgetting(), "", "lower",
                "best earlier end-of-task " + score + " minus the final one, mean over earlier tasks (Chaudhry et al. 2018)", true));
        out.add(new Headline("BWT", s.bwt(), "", "higher",
                "final minus end-of-own-task " + score + ", mean over earlier tasks; negative means forgotten", true));
        out.add(new Headline("FWT", s.fwt(), "", "higher",
                "a task's " + score + " just before it is learned minus the initial model's", true));
        out.add(new Headline("learning acc", s.learningAccuracy(), "", level,
                "mean " + score + " on each task at the end of learning it", false));
        out.add(new Headline("mean gap depth", summary.meanGapDepth(), "", "lower",
                "stability gap: an old task's " + drop + " from just before a boundary to its worst point after it, mean over "
                        + s.gaps().size() + " gaps", true));
        out.add(new Headline("mean recovery", summary.meanRecoveryIterations(), "it", "lower",
                "iterations until an old task is back within 0.01 of its pre-boundary value, mean over the gaps that recovered ("
                        + summary.unrecoveredGaps() + " did not)", true));
        return out;
    }
}
