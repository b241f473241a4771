package io.clpipe.learner.service;

import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ModelSnapshot;
import java.util.ArrayList;
import java.util.List;

/** Keeps what a learner publishes, serialised and read back as the evaluator would see it. */
final class MemoryOutput implements LearnerOutput {

    final List<ModelSnapshot> snapshots = new ArrayList<>();
    final List<ControlEvent> controls = new ArrayList<>();
    /** The headers of each snapshot, same index as {@link #snapshots}. */
    final List<java.util.Map<String, String>> headers = new ArrayList<>();
    int flushes;

    @Override
    public int snapshot(ModelSnapshot snapshot) {
        byte[] bytes = AvroSerde.modelSnapshot().serialize(snapshot);
        snapshots.add(AvroSerde.modelSnapshot().deserialize(bytes));
        return bytes.length;
    }

    @Override
    public int snapshot(ModelSnapshot snapshot, java.util.Map<String, String> snapshotHeaders) {
        headers.add(java.util.Map.copyOf(snapshotHeaders));
        return snapshot(snapshot);
    }

    @Override
    public void control(ControlEvent event) {
        controls.add(event);
    }

    @Override
    public void flush() {
        flushes++;
    }

    List<Long> versions() {
        return snapshots.stream().map(ModelSnapshot::getVersion).toList();
    }
}
