package io.clpipe.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Headers of a dead-letter record. The value is the rejected record's original bytes; every header
 * value is UTF-8 text, so {@code kafka-console-consumer --property print.headers=true} shows them.
 */
public final class DlqHeaders {

    /** Human-readable {@link Rejection#message()}. */
    public static final String REASON = "clpipe.dlq.reason";
    /** {@link RejectReason} name, e.g. {@code WRONG_DIMENSION}. */
    public static final String REASON_CODE = "clpipe.dlq.reason.code";
    /** {@link Rejection#field()}, absent when the record as a whole is at fault. */
    public static final String FIELD = "clpipe.dlq.field";
    public static final String SOURCE_TOPIC = "clpipe.dlq.source.topic";
    /** Decimal. */
    public static final String SOURCE_PARTITION = "clpipe.dlq.source.partition";
    /** Decimal. */
    public static final String SOURCE_OFFSET = "clpipe.dlq.source.offset";

    private DlqHeaders() {
    }

    /** The headers for {@code record} rejected for {@code rejection}. */
    public static Headers of(Rejection rejection, RawRecord record) {
        Headers headers = new RecordHeaders();
        add(headers, REASON, rejection.message());
        add(headers, REASON_CODE, rejection.reason().name());
        if (rejection.field() != null) {
            add(headers, FIELD, rejection.field());
        }
        add(headers, SOURCE_TOPIC, record.topic());
        add(headers, SOURCE_PARTITION, Integer.toString(record.partition()));
        add(headers, SOURCE_OFFSET, Long.toString(record.offset()));
        return headers;
    }

    private static void add(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
