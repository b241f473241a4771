package io.clpipe.ingest.produce;

/** What a produce run did: records acknowledged by the broker, bytes sent, time taken. */
public record ProduceResult(long records, long bytes, long elapsedNanos) {

    public double recordsPerSecond() {
        return elapsedNanos == 0 ? 0 : records * 1e9 / elapsedNanos;
    }
}
