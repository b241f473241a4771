package io.clpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.schemas.SnapshotAssembler.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class SnapshotAssemblerTest {

    private static final String TOPIC = "m";
    private long offset;

    private static byte[] payload(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private List<ConsumerRecord<String, byte[]>> records(String stream, List<SnapshotChunks.Part> parts) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        for (SnapshotChunks.Part p : parts) {
            RecordHeaders h = new RecordHeaders();
            p.headers().forEach((k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
            out.add(new ConsumerRecord<>(TOPIC, 0, offset++, 0L, org.apache.kafka.common.record.TimestampType.CREATE_TIME, -1, -1,
                    stream, p.value(), h, java.util.Optional.empty()));
        }
        return out;
    }

    private static List<Outcome> feed(SnapshotAssembler a, List<ConsumerRecord<String, byte[]>> records) {
        List<Outcome> out = new ArrayList<>();
        records.forEach(r -> out.addAll(a.offer(r)));
        return out;
    }

    @Test
    void aSnapshotThatFitsOneChunkStaysOneRecordWithItsHeaders() {
        byte[] p = payload(4000, 1);
        List<SnapshotChunks.Part> parts = SnapshotChunks.parts("s", 3, p, Map.of("h", "v"), 4096);
        assertThat(parts).singleElement().satisfies(x -> {
            assertThat(x.value()).isSameAs(p);
            assertThat(x.headers()).containsExactly(Map.entry("h", "v"));
        });
    }

    @Test
    void chunksAndManifestReassembleBitIdenticallyAndCarryTheManifestHeaders() {
        byte[] p = payload(10_000, 2);
        List<SnapshotChunks.Part> parts = SnapshotChunks.parts("s", 7, p, Map.of("h", "v"), 1024);
        assertThat(parts).hasSize(11);
        SnapshotAssembler a = new SnapshotAssembler(TOPIC);
        List<ConsumerRecord<String, byte[]>> rs = records("s", parts);
        for (int i = 0; i < 10; i++) {
            assertThat(a.offer(rs.get(i))).isEmpty();
            assertThat(a.pendingFrom(new TopicPartition(TOPIC, 0))).hasValue(0);
        }
        List<Outcome> out = a.offer(rs.get(10));
        assertThat(out).singleElement().isInstanceOfSatisfying(Outcome.Whole.class, w -> {
            assertThat(w.value()).isEqualTo(p);
            assertThat(new String(w.headers().lastHeader("h").value(), StandardCharsets.UTF_8)).isEqualTo("v");
            assertThat(w.firstOffset()).isZero();
            assertThat(w.lastOffset()).isEqualTo(10);
        });
        assertThat(a.pendingFrom(new TopicPartition(TOPIC, 0))).isEmpty();
        assertThat(SnapshotChunks.Manifest.fromJson(parts.get(10).value()).version()).isEqualTo(7);
    }

    @Test
    void aFlippedByteInOneChunkIsRefusedAsCorrupt() {
        byte[] p = payload(5000, 3);
        List<ConsumerRecord<String, byte[]>> rs = records("s", SnapshotChunks.parts("s", 9, p, Map.of(), 1024));
        rs.get(2).value()[17] ^= 0x40;
        List<Outcome> out = feed(new SnapshotAssembler(TOPIC), rs);
        assertThat(out).singleElement().isInstanceOfSatisfying(Outcome.Refused.class, r -> {
            assertThat(r.corrupt()).isTrue();
            assertThat(r.version()).isEqualTo(9);
            assertThat(r.reason()).contains("SHA-256");
        });
    }

    @Test
    void aMissingChunkAnUnfinishedSetAndAManifestAloneAreRefusedAndTheNextSnapshotStillReads() {
        byte[] p = payload(5000, 4);
        List<ConsumerRecord<String, byte[]>> gap = records("s", SnapshotChunks.parts("s", 1, p, Map.of(), 1024));
        gap.remove(3);
        List<Outcome> out = feed(new SnapshotAssembler(TOPIC), gap);
        assertThat(out).hasSize(2).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Refused.class));

        SnapshotAssembler a = new SnapshotAssembler(TOPIC);
        List<ConsumerRecord<String, byte[]>> unfinished = records("s", SnapshotChunks.parts("s", 2, p, Map.of(), 1024));
        feed(a, unfinished.subList(0, 3));
        assertThat(a.pendingFrom(new TopicPartition(TOPIC, 0))).hasValue(unfinished.get(0).offset());
        List<ConsumerRecord<String, byte[]>> next = records("s", SnapshotChunks.parts("s", 2, p, Map.of(), 1024));
        List<Outcome> after = feed(a, next);
        assertThat(after).hasSize(2);
        assertThat(after.get(0)).isInstanceOfSatisfying(Outcome.Refused.class, r -> assertThat(r.corrupt()).isFalse());
        assertThat(after.get(1)).isInstanceOfSatisfying(Outcome.Whole.class, w -> assertThat(w.value()).isEqualTo(p));

        List<ConsumerRecord<String, byte[]>> alone = records("s", SnapshotChunks.parts("s", 3, p, Map.of(), 1024));
        assertThat(feed(new SnapshotAssembler(TOPIC), alone.subList(5, 6))).singleElement()
                .isInstanceOfSatisfying(Outcome.Refused.class, r -> assertThat(r.version()).isEqualTo(3));
    }

    @Test
    void setsOfDifferentStreamsInterleaveOnOnePartition() {
        byte[] p = payload(3000, 5);
        byte[] q = payload(2500, 6);
        List<ConsumerRecord<String, byte[]>> a = records("a", SnapshotChunks.parts("a", 1, p, Map.of(), 1024));
        List<ConsumerRecord<String, byte[]>> b = records("b", SnapshotChunks.parts("b", 1, q, Map.of(), 1024));
        List<ConsumerRecord<String, byte[]>> mixed = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i < a.size()) {
                mixed.add(a.get(i));
            }
            if (i < b.size()) {
                mixed.add(b.get(i));
            }
        }
        List<Outcome> out = feed(new SnapshotAssembler(TOPIC), mixed);
        assertThat(out).hasSize(2).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Whole.class));
    }

    @Test
    void chunkSizesBelowTheMinimumAreRefused() {
        assertThatThrownBy(() -> SnapshotChunks.parts("s", 1, new byte[10], Map.of(), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least");
    }

    @Test
    void aPlainRecordIsReturnedAsIs() {
        RecordHeaders h = new RecordHeaders();
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>(TOPIC, 0, 5L, 0L, org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                -1, -1, "s", "x".getBytes(StandardCharsets.UTF_8), h, java.util.Optional.empty());
        assertThat(new SnapshotAssembler(TOPIC).offer(r)).singleElement().isInstanceOf(Outcome.Whole.class);
    }
}
