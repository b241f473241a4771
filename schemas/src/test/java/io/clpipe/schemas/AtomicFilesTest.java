package io.clpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void writesIntoANewDirectoryAndReplacesLeavingNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("state").resolve("evaluator.state");
        AtomicFiles.write(target, "first".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(target, "second, longer".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(target)).isEqualTo("second, longer");
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }
}
