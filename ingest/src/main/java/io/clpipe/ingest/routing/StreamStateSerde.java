package io.clpipe.ingest.routing;

import io.clpipe.ingest.drift.PageHinkleyState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Binary form of {@link StreamState} for the ingest state store (versioned, no Java serialization). */
public final class StreamStateSerde implements Serde<StreamState> {

    /** 2 adds the user's task; version 1 (no user task) is still read. */
    private static final byte VERSION = 2;

    @Override
    public Serializer<StreamState> serializer() {
        return (topic, state) -> state == null ? null : write(state);
    }

    @Override
    public Deserializer<StreamState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(StreamState s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(s.dimension() == null ? -1 : s.dimension());
            out.writeBoolean(s.lastTask() != null);
            if (s.lastTask() != null) {
                out.writeUTF(s.lastTask());
            }
            out.writeLong(s.segment());
            PageHinkleyState d = s.drift();
            out.writeLong(d.count());
            out.writeDouble(d.mean());
            out.writeDouble(d.up());
            out.writeDouble(d.minUp());
            out.writeDouble(d.down());
            out.writeDouble(d.minDown());
            out.writeBoolean(s.userTask() != null);
            if (s.userTask() != null) {
                out.writeUTF(s.userTask());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static StreamState read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != 1 && version != VERSION) {
                throw new SerializationException("ingest stream state version " + version + " is not supported (expected " + VERSION + ")");
            }
            int dim = in.readInt();
            String task = in.readBoolean() ? in.readUTF() : null;
            long segment = in.readLong();
            PageHinkleyState drift = new PageHinkleyState(in.readLong(), in.readDouble(), in.readDouble(),
                    in.readDouble(), in.readDouble(), in.readDouble());
            String userTask = version >= 2 && in.readBoolean() ? in.readUTF() : null;
            return new StreamState(dim < 0 ? null : dim, task, segment, drift, userTask);
        } catch (IOException e) {
            throw new SerializationException("corrupt ingest stream state", e);
        }
    }
}
