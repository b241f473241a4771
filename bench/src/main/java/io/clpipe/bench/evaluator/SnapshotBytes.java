package io.clpipe.bench.evaluator;

import io.clpipe.models.Model;
import io.clpipe.models.ModelSpecCodec;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.ParameterBytes;
import io.clpipe.schemas.avro.ModelSnapshot;
import java.util.List;

/** A model's snapshot as it arrives on the models topic: the Avro record's bytes. */
final class SnapshotBytes {

    private SnapshotBytes() {
    }

    /** Encodes {@code model}'s current parameters the way the learner publishes them. */
    static byte[] of(Model model, AvroSerde<ModelSnapshot> serde, long version, String task, List<String> seenTasks) {
        ModelSnapshot.Builder builder = ModelSnapshot.newBuilder()
                .setStream("bench")
                .setVersion(version)
                .setTask(task)
                .setSeenTasks(List.copyOf(seenTasks))
                .setLearningRate(0.01)
                .setLoss(Double.NaN)
                .setModelSpec(ModelSpecCodec.encode(model.spec()))
                .setTimestamp(0);
        return serde.serialize(ParameterBytes.setParameters(builder, model.parametersToArray()).build());
    }
}
