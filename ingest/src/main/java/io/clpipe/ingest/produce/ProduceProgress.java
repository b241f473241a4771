package io.clpipe.ingest.produce;

/** Told about progress while a source is produced (e.g. to draw a progress bar). */
@FunctionalInterface
public interface ProduceProgress {

    ProduceProgress NONE = (sent, acked, total) -> { };

    /**
     * @param sent   records handed to the producer so far
     * @param acked  records the broker acknowledged so far
     * @param total  expected total, or -1 when unknown
     */
    void update(long sent, long acked, long total);
}
