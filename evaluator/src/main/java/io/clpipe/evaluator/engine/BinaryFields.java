package io.clpipe.evaluator.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Field encodings shared by the evaluator's binary codecs: lists, nullable values, checked counts. */
public final class BinaryFields {

    private BinaryFields() {
    }

    /** Writes one value of a field. */
    public interface FieldWriter<T> {
        void write(DataOutputStream out, T value) throws IOException;
    }

    /** Reads one value of a field. */
    public interface FieldReader<T> {
        T read(DataInputStream in) throws IOException;
    }

    public static <T> void writeList(DataOutputStream out, List<T> values, FieldWriter<T> writer) throws IOException {
        out.writeInt(values.size());
        for (T v : values) {
            writer.write(out, v);
        }
    }

    public static <T> List<T> readList(DataInputStream in, FieldReader<T> reader) throws IOException {
        int n = count(in);
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(reader.read(in));
        }
        return out;
    }

    public static <T> void writeNullable(DataOutputStream out, T value, FieldWriter<T> writer) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            writer.write(out, value);
        }
    }

    public static <T> T readNullable(DataInputStream in, FieldReader<T> reader) throws IOException {
        return in.readBoolean() ? reader.read(in) : null;
    }

    public static void writeNullableString(DataOutputStream out, String value) throws IOException {
        writeNullable(out, value, DataOutputStream::writeUTF);
    }

    public static String readNullableString(DataInputStream in) throws IOException {
        return readNullable(in, i -> i.readUTF());
    }

    public static void writeNullableDouble(DataOutputStream out, Double value) throws IOException {
        writeNullable(out, value, DataOutputStream::writeDouble);
    }

    public static Double readNullableDouble(DataInputStream in) throws IOException {
        return readNullable(in, DataInputStream::readDouble);
    }

    public static void writeNullableLong(DataOutputStream out, Long value) throws IOException {
        writeNullable(out, value, DataOutputStream::writeLong);
    }

    public static Long readNullableLong(DataInputStream in) throws IOException {
        return readNullable(in, DataInputStream::readLong);
    }

    /** A list size; every element takes at least one byte, so a larger one is corruption. */
    public static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("count " + n + " does not fit the " + in.available() + " bytes left");
        }
        return n;
    }
}
