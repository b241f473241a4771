package io.clpipe.evaluator.service;

import io.clpipe.schemas.Features;
import io.clpipe.schemas.ParameterBytes;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Synthetic streams with known scores. Task "a" has labels 0/1, task "b" labels 2/3; a sample of
 * label c has feature c = 1 (plus distinct noise in features 5..7, which the model ignores). The
 * model is linear, 8 inputs → 5 classes: weight 5 from feature c to class c for each "known" class
 * c, bias 1 on class 4 (never a label). So a known class is always predicted right and an unknown
 * one always wrong (as class 4): on a balanced eval set a task's accuracy is the fraction of its
 * two classes that are known, and every loss is one of two closed-form values.
 */
final class TestStreams {

    static final String SPEC = "mlp in=8 hidden=none classes=5 batch=64";
    static final int IN = 8;
    static final int CLASSES = 5;
    /** Cross-entropy of a sample whose class is known: logits 5 (own), 1 (class 4), 0 × 3. */
    static final double LOSS_KNOWN = -5 + Math.log(Math.exp(5) + Math.E + 3);
    /** Cross-entropy of a sample whose class is unknown: logits 1 (class 4), 0 × 4. */
    static final double LOSS_UNKNOWN = Math.log(Math.E + 4);

    private TestStreams() {
    }

    static float[] parameters(Set<Integer> known) {
        float[] p = new float[IN * CLASSES + CLASSES];
        for (int c : known) {
            p[c * CLASSES + c] = 5f; // w1 is [in × classes], row-major
        }
        p[IN * CLASSES + 4] = 1f; // b1[4]
        return p;
    }

    static ModelSnapshot snapshot(String stream, long version, String task, List<String> seen, Set<Integer> known) {
        return ParameterBytes.setParameters(ModelSnapshot.newBuilder(), parameters(known))
                .setStream(stream).setVersion(version).setTask(task).setSeenTasks(new ArrayList<>(seen))
                .setLearningRate(0.01).setLoss(0.5).setModelSpec(SPEC).setTimestamp(1_700_000_000_000L + version).build();
    }

    /** {@code count} samples alternating between the task's two labels ({@code first}, {@code first + 1}). */
    static List<Sample> samples(String stream, String task, int first, int count) {
        List<Sample> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int label = first + i % 2;
            float[] x = new float[IN];
            x[label] = 1f;
            x[5] = i * 0.001f;
            x[6] = (first + 1) * 0.01f;
            x[7] = -i * 0.002f;
            out.add(Sample.newBuilder().setStream(stream).setTask(task).setFeatures(Features.of(x)).setLabel(label)
                    .setSampleId(stream + "/" + task + "/" + i).build());
        }
        return out;
    }

    /** Accuracy on a balanced set of the task whose labels are {@code first} and {@code first + 1}. */
    static double accuracy(Set<Integer> known, int first) {
        return known(known, first) / 2.0;
    }

    static double loss(Set<Integer> known, int first) {
        int k = known(known, first);
        return (k * LOSS_KNOWN + (2 - k) * LOSS_UNKNOWN) / 2;
    }

    private static int known(Set<Integer> known, int first) {
        return (known.contains(first) ? 1 : 0) + (known.contains(first + 1) ? 1 : 0);
    }
}
