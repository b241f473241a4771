package io.clpipe.learner.service;

/**
 * Where a stream's training stands in its partition: the first training unit not yet trained is
 * unit {@code unit} of the record at {@code offset}. A feature sample is one unit; a text record
 * is one unit per byte it predicts, so a checkpoint may fall inside a record.
 */
public record StreamPosition(long offset, int unit) implements Comparable<StreamPosition> {

    public StreamPosition {
        if (offset < 0 || unit < 0) {
            throw new IllegalArgumentException("invalid stream position " + offset + "/" + unit);
        }
    }

    public static StreamPosition at(long offset) {
        return new StreamPosition(offset, 0);
    }

    @Override
    public int compareTo(StreamPosition o) {
        int c = Long.compare(offset, o.offset);
        return c != 0 ? c : Integer.compare(unit, o.unit);
    }

    @Override
    public String toString() {
        return unit == 0 ? Long.toString(offset) : offset + "+" + unit;
    }
}
