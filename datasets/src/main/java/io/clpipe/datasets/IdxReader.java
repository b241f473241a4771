package io.clpipe.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads IDX files (the MNIST format: big-endian magic, dimensions, unsigned bytes), plain or gzipped. */
public final class IdxReader {

    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {
    }

    /** Reads an idx3 image file and its idx1 label file into pixels scaled to [0, 1]. */
    public static LabeledImages read(Path images, Path labels) throws IOException {
        int[] labelValues;
        try (DataInputStream in = open(labels)) {
            int[] dims = header(in, labels, 1);
            labelValues = new int[dims[0]];
            byte[] raw = in.readNBytes(dims[0]);
            if (raw.length != dims[0]) {
                throw new IOException(labels + ": truncated, expected " + dims[0] + " labels, got " + raw.length);
            }
            for (int i = 0; i < raw.length; i++) {
                labelValues[i] = raw[i] & 0xff;
            }
        }
        try (DataInputStream in = open(images)) {
            int[] dims = header(in, images, 3);
            if (dims[0] != labelValues.length) {
                throw new IOException(images + ": " + dims[0] + " images but " + labelValues.length + " labels in " + labels);
            }
            int size = dims[0] * dims[1] * dims[2];
            byte[] raw = in.readNBytes(size);
            if (raw.length != size) {
                throw new IOException(images + ": truncated, expected " + size + " pixel bytes, got " + raw.length);
            }
            float[] pixels = new float[size];
            for (int i = 0; i < size; i++) {
                pixels[i] = (raw[i] & 0xff) / 255f;
            }
            return new LabeledImages(pixels, labelValues, dims[1], dims[2]);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        if (file.getFileName().toString().endsWith(".gz")) {
            raw = new GZIPInputStream(raw, 1 << 16);
        }
        return new DataInputStream(raw);
    }

    private static int[] header(DataInputStream in, Path file, int expectedDims) throws IOException {
        int magic = in.readInt();
        int type = (magic >> 8) & 0xff;
        int dims = magic & 0xff;
        if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || dims != expectedDims) {
            throw new IOException(file + ": not an unsigned-byte IDX file with " + expectedDims
                    + " dimensions (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int[] sizes = new int[dims];
        for (int i = 0; i < dims; i++) {
            sizes[i] = in.readInt();
        }
        return sizes;
    }
}
