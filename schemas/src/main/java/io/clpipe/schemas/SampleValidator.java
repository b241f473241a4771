package io.clpipe.schemas;

import io.clpipe.schemas.avro.Sample;
import java.util.List;
import java.util.OptionalInt;

/**
 * Turns a raw record of the samples topic into a complete {@link Sample} or a {@link Rejection}.
 *
 * <p>Holds no state: the feature dimensions learned per stream come in as {@link StreamDimensions}
 * and go out in {@link ValidationResult.Valid#learnedDimension()}. Checks run in this order and the
 * first failure wins: size, decoding (JSON types), stream, features-or-text, features, label, text.
 */
public final class SampleValidator {

    private final ValidationConfig config;
    private final SampleDecoder decoder;

    public SampleValidator(ValidationConfig config) {
        this(config, new SampleDecoder());
    }

    public SampleValidator(ValidationConfig config, SampleDecoder decoder) {
        this.config = config;
        this.decoder = decoder;
    }

    /**
     * @param dimensions learned feature dimensions, consulted for streams the config gives none
     * @param ingestTime written to the valid sample's {@code ingestTime}, epoch milliseconds
     */
    public ValidationResult validate(RawRecord record, StreamDimensions dimensions, long ingestTime) {
        byte[] value = record.value();
        if (value != null && value.length > config.maxRecordBytes()) {
            return reject(RejectReason.OVERSIZED, null,
                    "record is " + value.length + " bytes, the limit is " + config.maxRecordBytes());
        }
        Sample sample;
        try {
            sample = decoder.decode(value);
        } catch (InvalidSampleException e) {
            return e.rejection();
        }

        String key = record.key();
        if (sample.getStream().isEmpty()) {
            if (key == null || key.isEmpty()) {
                return reject(RejectReason.MISSING_FIELD, "stream", "field 'stream' is missing and the record has no key");
            }
            sample.setStream(key);
        } else if (key != null && !key.isEmpty() && !key.equals(sample.getStream())) {
            return reject(RejectReason.KEY_MISMATCH, "stream",
                    "field 'stream' is \"" + sample.getStream() + "\" but the record key is \"" + key + "\"");
        }

        List<Float> features = sample.getFeatures();
        String text = sample.getText();
        if (features == null && text == null) {
            return reject(RejectReason.NO_FEATURES_OR_TEXT, "features",
                    "neither field 'features' nor field 'text' is given");
        }
        if (features != null && text != null) {
            return reject(RejectReason.BOTH_FEATURES_AND_TEXT, "features",
                    "both field 'features' and field 'text' are given; a sample has one of them");
        }

        OptionalInt learned = OptionalInt.empty();
        if (features != null) {
            String stream = sample.getStream();
            OptionalInt configured = config.featureDim(stream);
            OptionalInt expected = configured.isPresent() ? configured : dimensions.dimension(stream);
            Rejection bad = checkFeatures(stream, features, expected, configured.isPresent());
            if (bad != null) {
                return bad;
            }
            if (sample.getLabel() == null) {
                return reject(RejectReason.MISSING_FIELD, "label", "field 'label' is missing; samples with features need one");
            }
            if (expected.isEmpty()) {
                learned = OptionalInt.of(features.size());
            }
        }

        Integer label = sample.getLabel();
        if (label != null && (label < 0 || config.numClasses().isPresent() && label >= config.numClasses().getAsInt())) {
            String range = config.numClasses().isPresent() ? "[0, " + config.numClasses().getAsInt() + ")" : "[0, ∞)";
            return reject(RejectReason.LABEL_OUT_OF_RANGE, "label", "field 'label' is " + label + ", outside " + range);
        }

        if (text != null) {
            if (text.isEmpty()) {
                return reject(RejectReason.EMPTY_TEXT, "text", "field 'text' is empty");
            }
            if (text.length() > config.maxTextChars()) {
                return reject(RejectReason.TEXT_TOO_LONG, "text",
                        "field 'text' has " + text.length() + " chars, the limit is " + config.maxTextChars());
            }
        }

        if (sample.getSampleId().isEmpty()) {
            sample.setSampleId(record.derivedSampleId());
        }
        sample.setIngestTime(ingestTime);
        return new ValidationResult.Valid(sample, learned);
    }

    private static Rejection checkFeatures(String stream, List<Float> features, OptionalInt expected, boolean configured) {
        if (features.isEmpty()) {
            return reject(RejectReason.EMPTY_FEATURES, "features", "field 'features' is an empty array");
        }
        if (expected.isPresent() && expected.getAsInt() != features.size()) {
            return reject(RejectReason.WRONG_DIMENSION, "features",
                    "field 'features' has " + features.size() + " values, stream \"" + stream + "\" expects "
                            + expected.getAsInt() + (configured ? " (configured)" : " (fixed by its first sample)"));
        }
        int i = Features.indexOfNonFinite(features);
        if (i >= 0) {
            return reject(RejectReason.NON_FINITE_FEATURE, "features[" + i + "]",
                    "field 'features[" + i + "]' is " + features.get(i) + "; features must be finite float32 values");
        }
        return null;
    }

    private static Rejection reject(RejectReason reason, String field, String message) {
        return new Rejection(reason, field, message);
    }
}
