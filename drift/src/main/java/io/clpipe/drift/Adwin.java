package io.clpipe.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ADWIN, adaptive windowing (Bifet &amp; Gavaldà 2007), exactly as River's {@code AdaptiveWindowing}
 * ({@code river/drift/adwin_c.pyx}) computes it, plus a cap on the window's width.
 *
 * <p>The window W is kept as an exponential histogram: row r holds up to {@code maxBuckets} buckets of
 * 2^r values each (sum and variance sum), so memory is O(maxBuckets · log W). Every {@code clock}
 * values, once W holds more than {@code gracePeriod} values, every cut of W into an older part W0 and
 * a newer part W1 at a bucket border is tested, oldest first: with n0, n1 ≥ {@code minWindowLength},
 * <pre>
 *   δ' = ln(2 ln|W| / δ),  m⁻¹ = 1/(n0 − L + 1) + 1/(n1 − L + 1),  σ² = Var(W)
 *   cut when |mean(W0) − mean(W1)| &gt; sqrt(2 m⁻¹ σ² δ') + (2/3) δ' m⁻¹
 * </pre>
 * On a cut the oldest bucket is dropped and the scan starts again, until no cut holds; the update
 * then reports a change. The window is not reset: it shrinks to the part after the change.
 * Values are best scaled to about [0, 1] (the Bernstein term assumes a bounded range).
 */
public final class Adwin {

    private final AdwinConfig config;
    private final List<Row> rows = new ArrayList<>();
    private long tick;
    private double width;
    private double total;
    private double variance;
    private long detections;

    public Adwin(AdwinConfig config) {
        this(config, AdwinState.EMPTY);
    }

    public Adwin(AdwinConfig config, AdwinState state) {
        this.config = config;
        this.tick = state.tick();
        this.width = state.width();
        this.total = state.total();
        this.variance = state.variance();
        this.detections = state.detections();
        for (int r = 0; r < state.totals().length; r++) {
            if (state.totals()[r].length > config.maxBuckets()) {
                throw new IllegalArgumentException("ADWIN state row " + r + " holds " + state.totals()[r].length
                        + " buckets, more than max buckets " + config.maxBuckets());
            }
            Row row = new Row(config.maxBuckets());
            for (int i = 0; i < state.totals()[r].length; i++) {
                row.insert(state.totals()[r][i], state.variances()[r][i]);
            }
            rows.add(row);
        }
    }

    /** Adds one value; true when the window was cut (a change in mean was detected). */
    public boolean update(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("ADWIN takes finite values, got " + value);
        }
        insert(value);
        while (width > config.maxWidth()) {
            deleteOldest();
        }
        return detectChange();
    }

    public double width() {
        return width;
    }

    /** Mean of the current window (0 when empty). */
    public double mean() {
        return width == 0 ? 0 : total / width;
    }

    public long detections() {
        return detections;
    }

    public AdwinState state() {
        double[][] t = new double[rows.size()][];
        double[][] v = new double[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            t[r] = Arrays.copyOf(rows.get(r).totals, rows.get(r).count);
            v[r] = Arrays.copyOf(rows.get(r).variances, rows.get(r).count);
        }
        return new AdwinState(tick, width, total, variance, detections, t, v);
    }

    private void insert(double value) {
        rows.get(0).insert(value, 0.0);
        width += 1;
        if (width > 1) {
            double d = value - total / (width - 1);
            variance += (width - 1) * d * d / width;
        }
        total += value;
        compress();
    }

    /** Two oldest buckets of a full row merge into one bucket of the next row, and so on up. */
    private void compress() {
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            if (row.count != config.maxBuckets() + 1) {
                return;
            }
            if (r + 1 == rows.size()) {
                rows.add(new Row(config.maxBuckets()));
            }
            Row next = rows.get(r + 1);
            double n = size(r);
            double mu1 = row.totals[0] / n;
            double mu2 = row.totals[1] / n;
            next.insert(row.totals[0] + row.totals[1], row.variances[0] + row.variances[1] + n * 0.5 * (mu1 - mu2) * (mu1 - mu2));
            row.removeOldest(2);
            if (next.count <= config.maxBuckets()) {
                return;
            }
        }
    }

    /** Drops the oldest bucket; returns how many values it held. */
    private double deleteOldest() {
        int last = rows.size() - 1;
        Row row = rows.get(last);
        double n = size(last);
        double u = row.totals[0];
        double mu = u / n;
        double v = row.variances[0];
        width -= n;
        total -= u;
        if (width > 0) {
            double muWindow = total / width;
            variance -= v + n * width * (mu - muWindow) * (mu - muWindow) / (n + width);
        } else {
            variance = 0;
        }
        row.removeOldest(1);
        if (row.count == 0 && rows.size() > 1) {
            rows.remove(last);
        }
        return n;
    }

    private boolean detectChange() {
        boolean change = false;
        tick++;
        if (tick % config.clock() != 0 || width <= config.gracePeriod()) {
            return false;
        }
        boolean reduce = true;
        while (reduce) {
            reduce = false;
            double n0 = 0;
            double n1 = width;
            double u0 = 0;
            double u1 = total;
            scan:
            for (int r = rows.size() - 1; r >= 0; r--) {
                Row row = rows.get(r);
                double n2 = size(r);
                for (int k = 0; k < row.count; k++) {
                    n0 += n2;
                    n1 -= n2;
                    u0 += row.totals[k];
                    u1 -= row.totals[k];
                    if (r == 0 && k == row.count - 1) {
                        break scan; // W1 would be empty
                    }
                    if (n1 >= config.minWindowLength() && n0 >= config.minWindowLength() && cut(n0, n1, u0 / n0 - u1 / n1)) {
                        reduce = true;
                        change = true;
                        if (width > 0) {
                            deleteOldest();
                        }
                        break scan;
                    }
                }
            }
        }
        if (change) {
            detections++;
        }
        return change;
    }

    private boolean cut(double n0, double n1, double deltaMean) {
        double deltaPrime = Math.log(2 * Math.log(width) / config.delta());
        double mRecip = 1.0 / (n0 - config.minWindowLength() + 1) + 1.0 / (n1 - config.minWindowLength() + 1);
        double epsilon = Math.sqrt(2 * mRecip * (variance / width) * deltaPrime) + 2.0 / 3.0 * deltaPrime * mRecip;
        return Math.abs(deltaMean) > epsilon;
    }

    private static double size(int row) {
        return Math.scalb(1.0, row);
    }

    /** One row of the histogram: up to maxBuckets + 1 buckets (one over, until merged), oldest first. */
    private static final class Row {
        final double[] totals;
        final double[] variances;
        int count;

        Row(int maxBuckets) {
            totals = new double[maxBuckets + 1];
            variances = new double[maxBuckets + 1];
        }

        void insert(double total, double variance) {
            totals[count] = total;
            variances[count] = variance;
            count++;
        }

        void removeOldest(int n) {
            System.arraycopy(totals, n, totals, 0, count - n);
            System.arraycopy(variances, n, variances, 0, count - n);
            Arrays.fill(totals, count - n, count, 0);
            Arrays.fill(variances, count - n, count, 0);
            count -= n;
        }
    }
}
