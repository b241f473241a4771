package io.clpipe.schemas;

/**
 * A record as consumed from the samples topic, before validation.
 *
 * @param key   the record key as UTF-8 text, or null; names the stream when the value does not
 * @param value the value bytes, untouched (they go to the DLQ as they are)
 */
public record RawRecord(String topic, int partition, long offset, String key, byte[] value) {

    /** The id of a sample that brings none: unique per record and stable across re-processing. */
    public String derivedSampleId() {
        return topic + ":" + partition + ":" + offset;
    }
}
