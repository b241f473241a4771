package io.clpipe.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.schemas.Features;
import io.clpipe.schemas.avro.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourcesTest {

    @TempDir
    Path dir;

    @Test
    void csvSkipsTheHeaderAndBlankLinesAndNamesTheLineOfABadRow() throws Exception {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "label,a,b\n1,0.5,1.5\n\n0,2,3\n2,x,1\n");
        try (CsvSource source = new CsvSource(csv, "s", "t", 0)) {
            Sample first = source.next();
            assertThat(first.getLabel()).isEqualTo(1);
            assertThat(Features.toArray(first.getFeatures())).containsExactly(0.5f, 1.5f);
            assertThat(first.getSampleId()).isEqualTo("d.csv:2");
            assertThat(source.next().getSampleId()).isEqualTo("d.csv:4");
            assertThatThrownBy(source::next).hasMessageContaining("d.csv:5");
            assertThat(source.hasNext()).isFalse();
        }
    }

    @Test
    void jsonLinesFillsStreamAndIdAndNamesTheLineOfABadOne() throws Exception {
        Path jsonl = dir.resolve("d.jsonl");
        Files.writeString(jsonl, "{\"features\":[1],\"label\":0}\n{\"stream\":\"x\",\"features\":[2],\"label\":1,\"sample_id\":\"k\"}\n{oops\n");
        List<Sample> read = new ArrayList<>();
        try (JsonLinesSource source = new JsonLinesSource(jsonl, "default")) {
            read.add(source.next());
            read.add(source.next());
            assertThatThrownBy(source::next).hasMessageContaining("d.jsonl:3");
        }
        assertThat(read).extracting(Sample::getStream).containsExactly("default", "x");
        assertThat(read).extracting(Sample::getSampleId).containsExactly("d.jsonl:1", "k");
    }
}
