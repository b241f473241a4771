package io.clpipe.learner.service;

import io.clpipe.learner.engine.Sample;
import io.clpipe.models.ModelSpec;
import io.clpipe.schemas.Features;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a training record into the engine's samples for one model: a feature record is one sample;
 * a text record is one sample per byte of its UTF-8 encoding, predicted from the {@code context}
 * bytes before it (zero bytes before the start of the text); for a byte-transformer one sample per
 * {@code context} bytes ({@link TextUnits}). Evaluators of byte-LM snapshots must window eval text
 * the same way (one window per byte: both models score the byte after a window).
 */
final class TrainingUnits {

    private final ModelSpec spec;

    TrainingUnits(ModelSpec spec) {
        this.spec = spec;
    }

    /**
     * Checks that the record fits the model.
     *
     * @throws IllegalArgumentException saying why it does not
     */
    void check(io.clpipe.schemas.avro.Sample record) {
        if (TextUnits.isText(spec)) {
            if (record.getText() == null || record.getText().isEmpty()) {
                throw new IllegalArgumentException("a byte-LM stream needs text, the record has none");
            }
            return;
        }
        if (record.getFeatures() == null || record.getLabel() == null) {
            throw new IllegalArgumentException("an MLP stream needs features and a label");
        }
        if (record.getFeatures().size() != spec.inputDim()) {
            throw new IllegalArgumentException("record has " + record.getFeatures().size() + " features, the model takes "
                    + spec.inputDim());
        }
        int label = record.getLabel();
        if (label < 0 || label >= spec.classes()) {
            throw new IllegalArgumentException("label " + label + " is outside the model's " + spec.classes() + " classes");
        }
    }

    /** The engine samples of a record that passed {@link #check}, tagged with engine task {@code task}. */
    List<Sample> of(io.clpipe.schemas.avro.Sample record, int task) {
        if (!TextUnits.isText(spec)) {
            return List.of(Sample.dense(Features.toArray(record.getFeatures()), record.getLabel(), task));
        }
        byte[] text = record.getText().getBytes(StandardCharsets.UTF_8);
        int context = spec.inputDim();
        int units = TextUnits.count(spec, text.length);
        List<Sample> out = new ArrayList<>(units);
        for (int k = 0; k < units; k++) {
            int i = TextUnits.labelIndex(spec, text.length, k);
            byte[] window = new byte[context];
            int from = i - context;
            for (int j = Math.max(0, -from); j < context; j++) {
                window[j] = text[from + j];
            }
            out.add(Sample.bytes(window, text[i] & 0xFF, task));
        }
        return out;
    }
}
