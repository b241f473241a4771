package io.clpipe.bench.e2e;

/** {@code count} things in {@code seconds} of wall time. */
public record Rate(long count, double seconds) {

    public double perSecond() {
        return seconds > 0 ? count / seconds : Double.NaN;
    }
}
