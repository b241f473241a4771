package io.clpipe.app.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.datasets.TextCorpus;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewarmDataTest {

    @Test
    void budgetsAreExactAndTheUnionMixesByBytes(@TempDir Path root) throws IOException {
        Path en = Files.createDirectories(root.resolve("en"));
        Path de = Files.createDirectories(root.resolve("de"));
        for (int i = 0; i < 200; i++) {
            Files.writeString(en.resolve("e" + i + ".txt"), "english page " + i + " ".repeat(100) + "\n");
            Files.writeString(de.resolve("d" + i + ".txt"), "deutsche Seite größer " + i + "ä".repeat(400) + "\n");
        }
        RewarmData data = new RewarmData("s", TextCorpus.read(en, "en"), TextCorpus.read(de, "de"), 1);
        List<Sample> train = data.train(RewarmData.DE, 5_001);
        assertThat(RewarmData.utf8Bytes(train)).isBetween(5_000L, 5_001L); // a two-byte character may not fit the last byte
        assertThat(train).allSatisfy(s -> assertThat(s.getSplit()).isEqualTo(Split.TRAIN));

        List<Sample> union = data.union(3_000, 3_000);
        // halfway through the mix, each domain has had about half of its bytes
        long half = RewarmData.utf8Bytes(union) / 2;
        long seen = 0;
        long enSeen = 0;
        for (Sample s : union) {
            if (seen >= half) {
                break;
            }
            long b = RewarmData.utf8Bytes(List.of(s));
            seen += b;
            enSeen += "en".equals(s.getTask()) ? b : 0;
        }
        assertThat(enSeen).isBetween(1_000L, 2_000L);

        List<List<Sample>> cut = RewarmData.cut(train, 1_234);
        assertThat(RewarmData.utf8Bytes(cut.get(0))).isBetween(1_233L, 1_234L);
        assertThat(RewarmData.utf8Bytes(cut.get(0)) + RewarmData.utf8Bytes(cut.get(1))).isEqualTo(RewarmData.utf8Bytes(train));
        assertThat(data.validation(RewarmData.EN, 3, 50)).hasSize(3).allSatisfy(s -> assertThat(s.getSplit()).isEqualTo(Split.EVAL));
    }
}
