package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.learner.engine.checkpoint.CheckpointCodec;
import io.clpipe.learner.engine.checkpoint.LearnerState;
import io.clpipe.learner.service.CheckpointIndex.Key;
import io.clpipe.learner.service.CheckpointIndex.Location;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Kafka checkpoint store's pure parts: chunking, verification, manifests and the topic index. */
class CheckpointChunksTest {

    private static byte[] payload(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static CheckpointManifest manifest(String stream, long generation, byte[] payload, int chunks, int partition) {
        return new CheckpointManifest(stream, generation, "clpipe.train", partition, 10 * generation, 100 * generation,
                payload.length, chunks, CheckpointChunks.sha256Hex(payload));
    }

    @Test
    void aCheckpointOfTensOfMegabytesIsCutIntoChunksUnderTheBrokersDefaultLimitAndReassembledExactly() throws Exception {
        LearnerState big = TestStates.withReplay(6000, 784); // ~19 MB of replay buffer plus a 784-16-2 model
        byte[] bytes = CheckpointCodec.encode(big);
        assertThat(bytes.length).isGreaterThan(18 << 20);

        List<byte[]> chunks = CheckpointChunks.split(bytes, CheckpointChunks.DEFAULT_CHUNK_BYTES);
        assertThat(chunks).hasSize((bytes.length + CheckpointChunks.DEFAULT_CHUNK_BYTES - 1) / CheckpointChunks.DEFAULT_CHUNK_BYTES);
        assertThat(chunks).allSatisfy(c -> assertThat(c.length).isLessThanOrEqualTo(CheckpointChunks.DEFAULT_CHUNK_BYTES)
                .isLessThan(1_048_588 - 1024)); // the broker's default message.max.bytes, minus key and record overhead
        byte[] back = CheckpointChunks.assemble(manifest("s", 0, bytes, chunks.size(), 0), chunks);
        assertThat(back).isEqualTo(bytes);
        LearnerState read = CheckpointCodec.decode("test", back);
        assertThat(read.replay().size()).isEqualTo(6000);
        assertThat(Arrays.equals(read.parameters(), big.parameters())).isTrue();
    }

    @Test
    void splitCoversEveryByteOnce() {
        byte[] p = payload(10, 1);
        assertThat(CheckpointChunks.split(p, 4)).extracting(c -> c.length).containsExactly(4, 4, 2);
        assertThat(CheckpointChunks.split(p, 10)).hasSize(1);
        assertThat(CheckpointChunks.split(new byte[0], 4)).isEmpty();
        assertThatThrownBy(() -> CheckpointChunks.split(p, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingShortOrAlteredChunkIsRefusedSayingWhy() {
        byte[] p = payload(1000, 2);
        CheckpointManifest m = manifest("s", 4, p, 4, 0);
        List<byte[]> chunks = CheckpointChunks.split(p, 256);

        List<byte[]> missing = new ArrayList<>(chunks);
        missing.set(2, null);
        assertThatThrownBy(() -> CheckpointChunks.assemble(m, missing)).hasMessageContaining("stream s generation 4")
                .hasMessageContaining("chunk 2 of 4 is missing");

        List<byte[]> shortOne = new ArrayList<>(chunks);
        shortOne.set(3, Arrays.copyOf(chunks.get(3), 10));
        assertThatThrownBy(() -> CheckpointChunks.assemble(m, shortOne)).hasMessageContaining("truncated generation");

        List<byte[]> altered = new ArrayList<>(chunks);
        byte[] flipped = chunks.get(1).clone();
        flipped[17] ^= 1;
        altered.set(1, flipped);
        assertThatThrownBy(() -> CheckpointChunks.assemble(m, altered)).hasMessageContaining("SHA-256")
                .hasMessageContaining("corrupted chunk");

        assertThatThrownBy(() -> CheckpointChunks.assemble(m, chunks.subList(0, 3))).hasMessageContaining("3 chunks given");
    }

    @Test
    void manifestsRoundTripThroughJsonAndRefuseOtherBytes() {
        CheckpointManifest m = manifest("Mnist/1", 7, payload(5, 3), 1, 2);
        assertThat(CheckpointManifest.fromJson(m.toJson())).isEqualTo(m);
        assertThat(m.key()).isEqualTo("%4Dnist%2F1/7/m");
        assertThat(m.chunkKey(3)).isEqualTo("%4Dnist%2F1/7/3");
        assertThatThrownBy(() -> CheckpointManifest.fromJson("garbage".getBytes())).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> CheckpointManifest.fromJson("{\"format\":1}".getBytes())).hasMessageContaining("no 'stream'");
    }

    @Test
    void keysParseBackAndForeignKeysAreRecognised() {
        assertThat(Key.parse("%4Dnist/12/m")).contains(new Key("%4Dnist", 12, Key.MANIFEST));
        assertThat(Key.parse("a/3/15")).contains(new Key("a", 3, 15));
        assertThat(Key.parse("a/3/15").orElseThrow().text()).isEqualTo("a/3/15");
        assertThat(Key.parse("no-slashes")).isEmpty();
        assertThat(Key.parse("a/x/m")).isEmpty();
        assertThat(Key.parse("/3/m")).isEmpty();
        assertThat(Key.parse(null)).isEmpty();
    }

    @Test
    void theIndexFollowsTheLatestRecordPerKeyPlacesStreamsByPartitionAndPrunesOldGenerations() {
        CheckpointIndex index = new CheckpointIndex();
        long offset = 0;
        for (long g = 0; g < 4; g++) {
            byte[] p = payload(300, g);
            CheckpointManifest m = manifest("a", g, p, 2, 0);
            index.apply(new Key("a", g, 0), new byte[1], new Location(0, offset++));
            index.apply(new Key("a", g, 1), new byte[1], new Location(0, offset++));
            index.apply(Key.parse(m.key()).orElseThrow(), m.toJson(), new Location(0, offset++));
        }
        index.apply(Key.parse(manifest("b", 0, payload(1, 9), 0, 1).key()).orElseThrow(), manifest("b", 0, payload(1, 9), 0, 1).toJson(),
                new Location(0, offset++));
        // a learner killed while writing generation 4 of "a": chunks, no manifest
        index.apply(new Key("a", 4, 0), new byte[1], new Location(0, offset++));

        assertThat(index.streamsOf("clpipe.train", 0)).containsExactly("a");
        assertThat(index.streamsOf("clpipe.train", 1)).containsExactly("b");
        assertThat(index.candidates("a")).extracting(g -> g.number).containsExactly(3L, 2L, 1L, 0L);
        assertThat(index.nextGeneration("a")).isEqualTo(5);
        assertThat(index.nextGeneration("new")).isZero();
        assertThat(index.candidates("a").get(0).chunks).containsEntry(1, new Location(0, 10));

        List<Key> prune = index.prunable("a", 2);
        assertThat(prune).extracting(Key::text).containsExactlyInAnyOrder("a/1/m", "a/1/0", "a/1/1", "a/0/m", "a/0/0", "a/0/1");
        prune.forEach(k -> index.apply(k, null, null));
        assertThat(index.candidates("a")).extracting(g -> g.number).containsExactly(3L, 2L);
        assertThat(index.manifests().get("a")).extracting(CheckpointManifest::generation).containsExactly(3L, 2L);

        // a garbage manifest stays a candidate (to be refused with its reason), and a chunk overwrite moves its location
        assertThat(index.apply(new Key("a", 3, Key.MANIFEST), "garbage".getBytes(), new Location(0, 99))).isPresent();
        assertThat(index.candidates("a").get(0).manifestProblem).contains("not JSON");
        index.apply(new Key("a", 2, 1), new byte[2], new Location(0, 100));
        assertThat(index.candidates("a").get(1).chunks).containsEntry(1, new Location(0, 100));
        // the stream is still placed by its newest readable manifest
        assertThat(index.streamsOf("clpipe.train", 0)).containsExactly("a");
    }
}
