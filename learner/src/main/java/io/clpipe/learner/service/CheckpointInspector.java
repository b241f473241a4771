package io.clpipe.learner.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clpipe.learner.engine.checkpoint.LearnerState;
import io.clpipe.learner.engine.schedule.SchedulePosition;
import io.clpipe.schemas.ParameterBytes;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What {@code clpipe inspect-checkpoint DIR} prints: one JSON object per checkpoint file under the
 * directory, with at least {@code stream}, {@code version} (the iteration), {@code samples_trained},
 * {@code offsets} (training topic-partition → the offset a restart reads from) and
 * {@code weights_sha256} (SHA-256 of the float32 little-endian parameters, the same bytes a snapshot
 * carries). A damaged file yields an object with {@code file} and {@code error} instead.
 */
public final class CheckpointInspector {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckpointInspector() {
    }

    /** A JSON array describing every checkpoint under {@code dir} (empty when there is none). */
    public static String json(Path dir) {
        ArrayNode out = JSON.createArrayNode();
        for (Path file : new DirectoryCheckpointStore(dir).allFiles()) {
            out.add(describe(file));
        }
        try {
            return JSON.writeValueAsString(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render checkpoint descriptions", e);
        }
    }

    /**
     * The same for the newest readable generation of every stream on a Kafka checkpoint topic, with
     * {@code generation} (and {@code file} naming topic and generation).
     */
    public static String json(KafkaCheckpointStore store) {
        ArrayNode out = JSON.createArrayNode();
        store.manifests().forEach((stream, generations) -> {
            Optional<LearnerState> state = store.latest(stream);
            if (state.isEmpty()) {
                out.add(JSON.createObjectNode().put("file", store.describe() + " stream " + stream)
                        .put("error", "no readable generation of stream " + stream));
                return;
            }
            ObjectNode o = describe(store.describe() + " stream " + stream, state.get());
            generations.stream().filter(m -> m.iteration() == state.get().iteration()).findFirst()
                    .ifPresent(m -> o.put("generation", m.generation()));
            o.put("generations_on_topic", generations.size());
            out.add(o);
        });
        try {
            return JSON.writeValueAsString(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render checkpoint descriptions", e);
        }
    }

    /** One checkpoint file as a JSON object. */
    public static ObjectNode describe(Path file) {
        LearnerState state;
        try {
            state = DirectoryCheckpointStore.read(file);
        } catch (RuntimeException e) {
            return JSON.createObjectNode().put("file", file.toString()).put("error", e.getMessage());
        }
        return describe(file.toString(), state);
    }

    /** One checkpoint as a JSON object; {@code source} says where it was read from. */
    public static ObjectNode describe(String source, LearnerState state) {
        ObjectNode o = JSON.createObjectNode();
        o.put("file", source);
        StreamCheckpoint cp;
        try {
            cp = StreamCheckpoint.fromCallerData(state.callerData());
        } catch (RuntimeException e) {
            o.put("error", e.getMessage());
            return o;
        }
        o.put("stream", cp.stream());
        o.put("version", state.iteration());
        o.put("samples_trained", cp.samplesTrained());
        o.putObject("offsets").put(cp.trainTopic() + "-" + cp.trainPartition(), cp.position().offset());
        o.put("resume_unit", cp.position().unit());
        ObjectNode control = o.putObject("control_offsets");
        cp.controlPositions().forEach((p, offset) -> control.put(Integer.toString(p), offset));
        o.put("weights_sha256", sha256(state.parameters()));
        o.put("parameter_count", state.parameters().length);
        o.put("model_spec", cp.modelSpec());
        ArrayNode tasks = o.putArray("tasks");
        cp.tasks().forEach(tasks::add);
        o.put("current_task", cp.task());
        o.put("boundary_iteration", cp.boundaryIteration());
        o.put("last_snapshot_version", cp.lastSnapshot());
        LingerCuts cuts = LingerCuts.fromCallerData(state.callerData());
        o.put("linger_cuts", cuts.count());
        o.put("linger_last_iteration", cuts.lastIteration());
        putNumber(o, "last_loss", state.lastLoss());
        putNumber(o, "learning_rate_last_step", cp.lastStepRate());
        putNumber(o, "learning_rate_next_step", cp.nextRate());
        putNumber(o, "divergence_lr_scale", state.lrScale());
        SchedulePosition s = state.schedule();
        o.putObject("schedule").put("step", s.step()).put("samples", s.samples()).put("peak", s.peak())
                .put("warmup", s.warmup()).put("restarts", s.restarts()).put("anneal_step", s.annealStep());
        o.putObject("optimizer").put("kind", state.optimizer().kind()).put("steps", state.optimizer().stepCount());
        o.put("replay_size", state.replay() == null ? 0 : state.replay().size());
        o.put("reptile", state.reptileAnchor() != null);
        return o;
    }

    /** SHA-256 (hex) of parameters encoded as in snapshots: float32 little-endian. */
    public static String sha256(float[] parameters) {
        ByteBuffer bytes = ParameterBytes.encode(parameters);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bytes);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }
}
