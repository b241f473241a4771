package io.clpipe.evaluator.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Windowed forgetting and plasticity of one task: for each window w, the largest drop (and rise) of
 * goodness between two of its evaluations at most w − 1 evaluations apart, floored at 0 and maxed
 * over time.
 *
 * <p>Every pair that fits in a window of w consecutive evaluations is seen when its later element
 * arrives, so only the last (w − 1) values are needed: memory is bounded by the largest window.
 */
final class WindowedChange {

    private final int[] windows;
    private final double[] recent;
    private int size;
    private int next;
    private final double[] maxDrop;
    private final double[] maxRise;

    WindowedChange(List<Integer> sortedWindows) {
        this.windows = sortedWindows.stream().mapToInt(Integer::intValue).toArray();
        this.recent = new double[windows[windows.length - 1] - 1];
        this.maxDrop = new double[windows.length];
        this.maxRise = new double[windows.length];
    }

    void add(double goodness) {
        double highest = Double.NEGATIVE_INFINITY;
        double lowest = Double.POSITIVE_INFINITY;
        int w = 0;
        for (int distance = 1; distance <= size; distance++) {
            double v = recent[Math.floorMod(next - distance, recent.length)];
            highest = Math.max(highest, v);
            lowest = Math.min(lowest, v);
            while (w < windows.length && windows[w] - 1 == distance) {
                widen(w++, highest, lowest, goodness);
            }
        }
        // windows longer than the history seen so far cover all of it
        while (size > 0 && w < windows.length) {
            widen(w++, highest, lowest, goodness);
        }
        recent[next] = goodness;
        next = (next + 1) % recent.length;
        size = Math.min(size + 1, recent.length);
    }

    private void widen(int w, double highest, double lowest, double goodness) {
        maxDrop[w] = Math.max(maxDrop[w], highest - goodness);
        maxRise[w] = Math.max(maxRise[w], goodness - lowest);
    }

    /** WF^w of this task; {@code index} is the window's position in the sorted window list. */
    double forgetting(int index) {
        return maxDrop[index];
    }

    /** WP^w of this task. */
    double plasticity(int index) {
        return maxRise[index];
    }

    int retained() {
        return size;
    }

    /** The retained values, oldest first. */
    List<Double> recent() {
        List<Double> out = new ArrayList<>(size);
        for (int distance = size; distance >= 1; distance--) {
            out.add(recent[Math.floorMod(next - distance, recent.length)]);
        }
        return out;
    }

    List<Double> maxDrops() {
        return Arrays.stream(maxDrop).boxed().toList();
    }

    List<Double> maxRises() {
        return Arrays.stream(maxRise).boxed().toList();
    }

    /** Sets the state exported by {@link #recent()}, {@link #maxDrops()} and {@link #maxRises()}. */
    void restore(List<Double> recentOldestFirst, List<Double> drops, List<Double> rises) {
        if (recentOldestFirst.size() > recent.length || drops.size() != windows.length || rises.size() != windows.length) {
            throw new IllegalArgumentException("windowed-change state does not fit windows " + Arrays.toString(windows)
                    + ": " + recentOldestFirst.size() + " values, " + drops.size() + "/" + rises.size() + " extremes");
        }
        size = 0;
        next = 0;
        for (double v : recentOldestFirst) {
            recent[next] = v;
            next = (next + 1) % recent.length;
            size++;
        }
        for (int w = 0; w < windows.length; w++) {
            maxDrop[w] = drops.get(w);
            maxRise[w] = rises.get(w);
        }
    }
}
