package io.clpipe.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The frame of clpipe's small state files: {@code int magic, int format, body, long CRC-32C of everything
 * before it}. {@link #open} refuses a short file, a checksum mismatch, another magic or another format, so a
 * damaged or foreign file is never decoded.
 */
public final class ChecksummedFrame {

    private static final int HEADER = 2 * Integer.BYTES;
    private static final int TRAILER = Long.BYTES;

    private ChecksummedFrame() {
    }

    public static byte[] seal(int magic, int format, byte[] body) {
        ByteBuffer out = ByteBuffer.allocate(HEADER + body.length + TRAILER);
        out.putInt(magic).putInt(format).put(body);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putLong(crc.getValue());
        return out.array();
    }

    /**
     * The body of a sealed frame.
     *
     * @param what named in the errors, e.g. "eval-set file"
     * @throws IOException naming what is wrong
     */
    public static byte[] open(int magic, int format, byte[] data, String what) throws IOException {
        if (data.length < HEADER + TRAILER) {
            throw new IOException(what + " truncated (" + data.length + " bytes)");
        }
        CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length - TRAILER);
        if (crc.getValue() != ByteBuffer.wrap(data, data.length - TRAILER, TRAILER).getLong()) {
            throw new IOException(what + " checksum mismatch");
        }
        ByteBuffer in = ByteBuffer.wrap(data);
        if (in.getInt() != magic || in.getInt() != format) {
            throw new IOException("not a " + what + " of format " + format);
        }
        return Arrays.copyOfRange(data, HEADER, data.length - TRAILER);
    }
}
