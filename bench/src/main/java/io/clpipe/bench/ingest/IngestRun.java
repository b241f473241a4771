package io.clpipe.bench.ingest;

/**
 * One timed ingest run, from the first routed record to the commit of the last (start-up and group join excluded).
 *
 * @param timedRecords records routed in the timed window (all but those of the first processed batch)
 * @param seconds      length of the window
 * @param train        records routed to the train topic over the whole run
 * @param eval         records routed to the eval topic
 * @param rejected     records sent to the dead-letter topic
 * @param commits      Streams commits (one transaction each under exactly-once v2) over the whole run
 */
public record IngestRun(long timedRecords, double seconds, long train, long eval, long rejected, long commits) {

    public double recordsPerSecond() {
        return timedRecords / seconds;
    }
}
