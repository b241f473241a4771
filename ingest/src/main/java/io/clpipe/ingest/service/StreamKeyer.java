package io.clpipe.ingest.service;

import io.clpipe.schemas.RawRecord;
import io.clpipe.schemas.SampleDecoder;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Keys a record produced without a key by its {@code stream} field ({@code ""} when it has none), on
 * its way to the repartition topic, so that ingest keeps and reads each stream's state under the
 * stream's name (docs/records.md, "Keys"). Where the user produced the record travels along in
 * headers: the DLQ names that place, and a derived sample id (hence the eval split) stays the same
 * as if the record had been keyed.
 */
final class StreamKeyer implements Processor<String, byte[], String, byte[]> {

    static final String SOURCE_TOPIC = "clpipe.ingest.source.topic";
    static final String SOURCE_PARTITION = "clpipe.ingest.source.partition";
    static final String SOURCE_OFFSET = "clpipe.ingest.source.offset";

    private final SampleDecoder decoder = new SampleDecoder();
    private ProcessorContext<String, byte[]> context;

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(SOURCE_TOPIC, utf8(meta.topic()));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(meta.partition())));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(meta.offset())));
        context.forward(new Record<>(decoder.streamOf(record.value()), record.value(), record.timestamp(), headers));
    }

    /**
     * The record as the user produced it. {@code rekeyed}: read from the repartition topic, its
     * coordinates are in the headers a {@link StreamKeyer} added (removed from {@code headers} here)
     * and it had no key; else they are where it was read.
     */
    static RawRecord original(Record<String, byte[]> record, RecordMetadata meta, Headers headers, boolean rekeyed) {
        if (!rekeyed) {
            return new RawRecord(meta.topic(), meta.partition(), meta.offset(), record.key(), record.value());
        }
        Header topic = headers.lastHeader(SOURCE_TOPIC);
        Header partition = headers.lastHeader(SOURCE_PARTITION);
        Header offset = headers.lastHeader(SOURCE_OFFSET);
        if (topic == null || partition == null || offset == null) {
            return new RawRecord(meta.topic(), meta.partition(), meta.offset(), record.key(), record.value());
        }
        headers.remove(SOURCE_TOPIC);
        headers.remove(SOURCE_PARTITION);
        headers.remove(SOURCE_OFFSET);
        return new RawRecord(text(topic), Integer.parseInt(text(partition)), Long.parseLong(text(offset)), null, record.value());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Header h) {
        return new String(h.value(), StandardCharsets.UTF_8);
    }
}
