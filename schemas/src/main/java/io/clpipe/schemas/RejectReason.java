package io.clpipe.schemas;

/** Why a record on the samples topic was rejected; the DLQ's reason-code header carries the name. */
public enum RejectReason {
    /** Neither a JSON object nor a known Avro format version, or malformed JSON/Avro. */
    UNPARSABLE,
    /** The record is larger than the configured limit. */
    OVERSIZED,
    /** A required field is absent or null: {@code stream} (and no record key), or {@code label} with features. */
    MISSING_FIELD,
    /** A field has the wrong JSON type, e.g. {@code label} is a string or {@code features[3]} is null. */
    WRONG_TYPE,
    /** Neither {@code features} nor {@code text} is given. */
    NO_FEATURES_OR_TEXT,
    /** Both {@code features} and {@code text} are given; a stream is either a classifier or a language model. */
    BOTH_FEATURES_AND_TEXT,
    /** {@code features} is an empty array. */
    EMPTY_FEATURES,
    /** {@code features} has a different length than the stream's dimension. */
    WRONG_DIMENSION,
    /** A feature is NaN or infinite (or overflows float32). */
    NON_FINITE_FEATURE,
    /** {@code label} is negative or not below the number of classes. */
    LABEL_OUT_OF_RANGE,
    /** {@code text} is the empty string. */
    EMPTY_TEXT,
    /** {@code text} is longer than the configured limit. */
    TEXT_TOO_LONG,
    /** {@code split} is not {@code train} or {@code eval}. */
    UNKNOWN_SPLIT,
    /** The record key and the {@code stream} field name different streams. */
    KEY_MISMATCH,
    /**
     * A control record ({@code "control"} field, docs/records.md) that is not a {@code task-start}
     * with string fields and no features or text; an {@code anneal} belongs on the control topic.
     */
    BAD_CONTROL
}
