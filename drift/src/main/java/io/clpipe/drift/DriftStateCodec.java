package io.clpipe.drift;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Binary form of the detectors' states, for a state store or a checkpoint (the caller versions the record around it). */
public final class DriftStateCodec {

    /** Rows of an ADWIN histogram: 2^64 values would be needed to fill more. */
    private static final int MAX_ROWS = 64;

    private DriftStateCodec() {
    }

    public static void write(DataOutput out, MonitorState s) throws IOException {
        out.writeLong(s.seen());
        out.writeLong(s.sinceDetection());
        write(out, s.labelPageHinkley());
        write(out, s.labelAdwin());
        out.writeByte(s.features().size());
        for (AdwinState a : s.features()) {
            write(out, a);
        }
    }

    public static MonitorState readMonitor(DataInput in) throws IOException {
        long seen = in.readLong();
        long since = in.readLong();
        PageHinkleyState ph = readPageHinkley(in);
        AdwinState label = readAdwin(in);
        int n = in.readUnsignedByte();
        List<AdwinState> features = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            features.add(readAdwin(in));
        }
        return new MonitorState(seen, since, ph, label, features);
    }

    public static void write(DataOutput out, LossMonitor.State s) throws IOException {
        out.writeLong(s.steps());
        out.writeLong(s.sinceDetection());
        write(out, s.adwin());
    }

    public static LossMonitor.State readLoss(DataInput in) throws IOException {
        return new LossMonitor.State(in.readLong(), in.readLong(), readAdwin(in));
    }

    public static void write(DataOutput out, PageHinkleyState d) throws IOException {
        out.writeLong(d.count());
        out.writeDouble(d.mean());
        out.writeDouble(d.up());
        out.writeDouble(d.minUp());
        out.writeDouble(d.down());
        out.writeDouble(d.minDown());
    }

    public static PageHinkleyState readPageHinkley(DataInput in) throws IOException {
        return new PageHinkleyState(in.readLong(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
    }

    public static void write(DataOutput out, AdwinState a) throws IOException {
        out.writeLong(a.tick());
        out.writeDouble(a.width());
        out.writeDouble(a.total());
        out.writeDouble(a.variance());
        out.writeLong(a.detections());
        out.writeByte(a.totals().length);
        for (int r = 0; r < a.totals().length; r++) {
            out.writeByte(a.totals()[r].length);
            for (int i = 0; i < a.totals()[r].length; i++) {
                out.writeDouble(a.totals()[r][i]);
                out.writeDouble(a.variances()[r][i]);
            }
        }
    }

    public static AdwinState readAdwin(DataInput in) throws IOException {
        long tick = in.readLong();
        double width = in.readDouble();
        double total = in.readDouble();
        double variance = in.readDouble();
        long detections = in.readLong();
        int rows = in.readUnsignedByte();
        if (rows < 1 || rows > MAX_ROWS) {
            throw new IOException("corrupt ADWIN state: " + rows + " rows");
        }
        double[][] totals = new double[rows][];
        double[][] variances = new double[rows][];
        for (int r = 0; r < rows; r++) {
            int n = in.readUnsignedByte();
            totals[r] = new double[n];
            variances[r] = new double[n];
            for (int i = 0; i < n; i++) {
                totals[r][i] = in.readDouble();
                variances[r][i] = in.readDouble();
            }
        }
        return new AdwinState(tick, width, total, variance, detections, totals, variances);
    }
}
