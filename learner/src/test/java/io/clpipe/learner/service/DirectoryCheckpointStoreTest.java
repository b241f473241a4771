package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clpipe.learner.engine.checkpoint.LearnerState;
import io.clpipe.learner.engine.schedule.SchedulePosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryCheckpointStoreTest {

    private static LearnerState state(String stream, int partition, float[] parameters) {
        StreamCheckpoint cp = new StreamCheckpoint(stream, "mlp in=2 hidden=none classes=2 batch=4", "clpipe.train", partition,
                new StreamPosition(17, 2), true, "t,1", List.of("t0", "t,1"), 5, 4, 20, Map.of(0, 3L), 0.05, 0.04);
        return new LearnerState("mlp 2-2", 6, 0.25, 1.0, 1, new int[] {0, 1}, parameters,
                new LearnerState.OptimizerState("sgd", 6, List.of()), new SchedulePosition(6, 24, 0.1, 0, 1, -1), null, null,
                new long[] {1, 2, 3, 4}, cp.toCallerData());
    }

    @Test
    void fileNamesKeepSafeCharactersAndEncodeEverythingElse() {
        assertThat(DirectoryCheckpointStore.encode("mnist-split_1")).isEqualTo("mnist-split_1");
        assertThat(DirectoryCheckpointStore.encode("Mnist")).isEqualTo("%4Dnist");
        assertThat(DirectoryCheckpointStore.encode("a/b")).isEqualTo("a%2Fb");
        assertThat(DirectoryCheckpointStore.encode("..")).isEqualTo("%2E%2E");
        assertThat(DirectoryCheckpointStore.encode("é")).isEqualTo("%C3%A9");
        assertThat(DirectoryCheckpointStore.encode("")).isEqualTo("%");
    }

    @Test
    void distinctStreamIdsNeverShareAFileEvenOnCaseInsensitiveFileSystems() {
        List<String> ids = List.of("a", "A", "%41", "%", "", "a/b", "a%2Fb", "a%2fb", "A%2FB", ".", "..", "x".repeat(300),
                "x".repeat(299) + "y", "X".repeat(300), "é", "É", "a b", "a+b");
        Set<String> folded = new HashSet<>();
        for (String id : ids) {
            String name = DirectoryCheckpointStore.encode(id);
            assertThat(name.length()).isLessThanOrEqualTo(DirectoryCheckpointStore.MAX_NAME);
            assertThat(folded.add(name.toLowerCase(Locale.ROOT))).as("file name of %s is unique", id).isTrue();
        }
    }

    @Test
    void checkpointsAreGroupedByPartitionAndReadBackVerified(@TempDir Path dir) {
        DirectoryCheckpointStore store = new DirectoryCheckpointStore(dir);
        store.write("clpipe.train", 0, "a/b", state("a/b", 0, new float[] {1, 2, 3, 4, 5, 6}));
        store.write("clpipe.train", 1, "c", state("c", 1, new float[] {0, 0, 0, 0, 0, 0}));
        assertThat(store.fileFor("clpipe.train", 0, "a/b")).isEqualTo(dir.resolve("clpipe%2Etrain-0").resolve("a%2Fb.ckpt"));
        List<LearnerState> p0 = store.readPartition("clpipe.train", 0);
        assertThat(p0).hasSize(1);
        StreamCheckpoint cp = StreamCheckpoint.fromCallerData(p0.get(0).callerData());
        assertThat(cp.stream()).isEqualTo("a/b");
        assertThat(cp.task()).isEqualTo("t,1");
        assertThat(cp.tasks()).containsExactly("t0", "t,1");
        assertThat(cp.position()).isEqualTo(new StreamPosition(17, 2));
        assertThat(cp.controlPositions()).containsExactly(Map.entry(0, 3L));
        assertThat(store.readPartition("clpipe.train", 2)).isEmpty();
        assertThat(store.allFiles()).hasSize(2);
    }

    @Test
    void aDamagedCheckpointStopsTheRestoreAndTheInspectorSaysWhich(@TempDir Path dir) throws Exception {
        DirectoryCheckpointStore store = new DirectoryCheckpointStore(dir);
        store.write("clpipe.train", 0, "good", state("good", 0, new float[] {1, 2, 3, 4, 5, 6}));
        store.write("clpipe.train", 0, "bad", state("bad", 0, new float[] {1, 2, 3, 4, 5, 6}));
        Path bad = store.fileFor("clpipe.train", 0, "bad");
        byte[] bytes = Files.readAllBytes(bad);
        bytes[bytes.length / 2] ^= 1;
        Files.write(bad, bytes);
        assertThatThrownBy(() -> store.readPartition("clpipe.train", 0)).hasMessageContaining(bad.toString())
                .hasMessageContaining("checksum");

        JsonNode all = new ObjectMapper().readTree(CheckpointInspector.json(dir));
        assertThat(all).hasSize(2);
        JsonNode broken = all.get(0).get("file").asText().endsWith("bad.ckpt") ? all.get(0) : all.get(1);
        JsonNode good = broken == all.get(0) ? all.get(1) : all.get(0);
        assertThat(broken.get("error").asText()).contains("checksum");
        assertThat(good.get("stream").asText()).isEqualTo("good");
        assertThat(good.get("version").asLong()).isEqualTo(6);
        assertThat(good.get("samples_trained").asLong()).isEqualTo(20);
        assertThat(good.get("offsets").get("clpipe.train-0").asLong()).isEqualTo(17);
        assertThat(good.get("resume_unit").asInt()).isEqualTo(2);
        assertThat(good.get("tasks").toString()).isEqualTo("[\"t0\",\"t,1\"]");
        assertThat(good.get("parameter_count").asInt()).isEqualTo(6);
        // SHA-256 of the six float32 little-endian values 1..6
        assertThat(good.get("weights_sha256").asText()).isEqualTo(CheckpointInspector.sha256(new float[] {1, 2, 3, 4, 5, 6}))
                .hasSize(64).isNotEqualTo(CheckpointInspector.sha256(new float[] {1, 2, 3, 4, 5, 7}));
        assertThat(good.get("schedule").get("restarts").asInt()).isEqualTo(1);
        assertThat(good.get("learning_rate_next_step").asDouble()).isEqualTo(0.04);
    }

    @Test
    void theInspectorOfAnEmptyOrMissingDirectoryListsNothing(@TempDir Path dir) throws Exception {
        assertThat(new ObjectMapper().readTree(CheckpointInspector.json(dir.resolve("none")))).isEmpty();
    }

    @Test
    void aCheckpointWithoutTheServiceEntriesIsRefusedByName() {
        assertThatThrownBy(() -> StreamCheckpoint.fromCallerData(Map.of())).hasMessageContaining("not a learner-service checkpoint");
        Map<String, String> m = new java.util.HashMap<>(state("s", 0, new float[6]).callerData());
        m.remove("train.offset");
        assertThatThrownBy(() -> StreamCheckpoint.fromCallerData(m)).hasMessageContaining("'train.offset'");
    }
}
