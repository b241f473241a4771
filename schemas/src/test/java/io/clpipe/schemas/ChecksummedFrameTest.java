package io.clpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChecksummedFrameTest {

    private static final int MAGIC = 0x434c5453;
    private static final byte[] BODY = "the state".getBytes(StandardCharsets.UTF_8);

    @Test
    void opensWhatItSealed() throws IOException {
        byte[] sealed = ChecksummedFrame.seal(MAGIC, 3, BODY);
        assertThat(sealed).hasSize(8 + BODY.length + 8);
        assertThat(ChecksummedFrame.open(MAGIC, 3, sealed, "test file")).isEqualTo(BODY);
    }

    @Test
    void everyFlippedBitIsRefused() {
        byte[] sealed = ChecksummedFrame.seal(MAGIC, 3, BODY);
        for (int i = 0; i < sealed.length * 8; i++) {
            byte[] damaged = sealed.clone();
            damaged[i / 8] ^= (byte) (1 << (i % 8));
            assertThatThrownBy(() -> ChecksummedFrame.open(MAGIC, 3, damaged, "test file"))
                    .isInstanceOf(IOException.class).hasMessageContaining("test file");
        }
    }

    @Test
    void aTruncatedForeignOrOtherFormatFileIsRefusedWithTheReason() {
        byte[] sealed = ChecksummedFrame.seal(MAGIC, 3, BODY);
        assertThatThrownBy(() -> ChecksummedFrame.open(MAGIC, 3, Arrays.copyOf(sealed, 10), "test file"))
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> ChecksummedFrame.open(MAGIC, 3, Arrays.copyOf(sealed, sealed.length - 1), "test file"))
                .hasMessageContaining("checksum mismatch");
        assertThatThrownBy(() -> ChecksummedFrame.open(MAGIC + 1, 3, sealed, "test file"))
                .hasMessageContaining("not a test file of format 3");
        assertThatThrownBy(() -> ChecksummedFrame.open(MAGIC, 4, sealed, "test file"))
                .hasMessageContaining("not a test file of format 4");
    }
}
