package io.clpipe.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCorpusTest {

    @Test
    void readsTxtDocumentsInNameOrderAndIgnoresOtherFiles(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve(TextCorpus.MANPAGES_DE));
        Files.writeString(dir.resolve("man1_b.1.txt"), "Über größe\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("man1_a.1.txt"), "alpha\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("man1_empty.1.txt"), "  \n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("SHA256SUMS"), "x", StandardCharsets.UTF_8);
        Files.createFile(dir.resolve(".verified"));

        TextCorpus corpus = TextCorpus.load(new DataDirectory(root), TextCorpus.MANPAGES_DE, "de");
        assertThat(corpus.domain()).isEqualTo("de");
        assertThat(corpus.documents()).extracting(TextDocument::name).containsExactly("man1_a.1.txt", "man1_b.1.txt");
        assertThat(corpus.documents().get(1).utf8Bytes()).isEqualTo("Über größe\n".getBytes(StandardCharsets.UTF_8).length).isEqualTo(14);
        assertThat(corpus.utf8Bytes()).isEqualTo(6 + 14);
    }

    @Test
    void splitIsByDocumentNameDeterministicAndNearTheRequestedShare(@TempDir Path dir) throws IOException {
        for (int i = 0; i < 2000; i++) {
            Files.writeString(dir.resolve("page" + i + ".txt"), "text " + i);
        }
        TextCorpus corpus = TextCorpus.read(dir, "en");
        TextCorpus.Split split = corpus.split(100);
        assertThat(split.train().size() + split.validation().size()).isEqualTo(2000);
        assertThat(split.validation().size()).isBetween(150, 250);
        List<String> names = new ArrayList<>(split.validation().stream().map(TextDocument::name).toList());
        assertThat(TextCorpus.read(dir, "en").split(100).validation()).extracting(TextDocument::name).isEqualTo(names);
        assertThat(split.train()).extracting(TextDocument::name).doesNotContainAnyElementsOf(names);
        // a document's side does not depend on which other documents are present
        Files.delete(dir.resolve(split.train().get(0).name()));
        assertThat(TextCorpus.read(dir, "en").split(100).validation()).extracting(TextDocument::name).isEqualTo(names);
    }

    @Test
    void rejectsInvalidUtf8AndEmptyOrMissingCorpora(@TempDir Path root) throws IOException {
        Files.write(root.resolve("bad.txt"), new byte[] {'a', (byte) 0xC3});
        assertThatThrownBy(() -> TextCorpus.read(root, "x")).hasMessageContaining("not valid UTF-8");
        assertThatThrownBy(() -> TextCorpus.load(new DataDirectory(root), TextCorpus.MANPAGES_EN, "en"))
                .isInstanceOf(DatasetMissingException.class).hasMessageContaining("scripts/fetch-data.sh manpages-en");
        Path empty = Files.createDirectories(root.resolve("empty"));
        assertThatThrownBy(() -> TextCorpus.read(empty, "x")).isInstanceOf(DatasetMissingException.class);
    }
}
