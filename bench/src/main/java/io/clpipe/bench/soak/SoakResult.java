package io.clpipe.bench.soak;

import java.util.List;

/** Every reading of a soak run, in order, and the bounds it ran with. */
public record SoakResult(SoakConfig config, List<SoakReading> readings) {

    public SoakResult {
        readings = List.copyOf(readings);
    }

    /** The first reading at or past {@code fraction} of the samples (the last reading if none). */
    public SoakReading at(double fraction) {
        long wanted = (long) Math.ceil(fraction * config.samples());
        return readings.stream().filter(r -> r.trained() >= wanted).findFirst().orElse(readings.get(readings.size() - 1));
    }

    public SoakReading last() {
        return readings.get(readings.size() - 1);
    }

    /**
     * Least-squares slope of {@code value} against training samples over the readings from 25% on,
     * in bytes per 100,000 samples.
     */
    public double slopePer100k(java.util.function.ToLongFunction<SoakReading> value) {
        long from = config.samples() / 4;
        List<SoakReading> tail = readings.stream().filter(r -> r.trained() >= from && value.applyAsLong(r) >= 0).toList();
        if (tail.size() < 2) {
            return Double.NaN;
        }
        double mx = tail.stream().mapToDouble(SoakReading::trained).average().orElseThrow();
        double my = tail.stream().mapToDouble(value::applyAsLong).average().orElseThrow();
        double num = 0;
        double den = 0;
        for (SoakReading r : tail) {
            num += (r.trained() - mx) * (value.applyAsLong(r) - my);
            den += (r.trained() - mx) * (r.trained() - mx);
        }
        return den == 0 ? Double.NaN : num / den * 100_000;
    }
}
