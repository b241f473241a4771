package io.clpipe.ingest.routing;

import io.clpipe.drift.DriftStateCodec;
import io.clpipe.drift.MonitorState;
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

    /** 2: the drift monitor's state (ADWIN histograms, label test) and the user's task; 1 held a Page-Hinkley state only. */
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
            DriftStateCodec.write(out, s.drift());
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
            if (version != VERSION && version != 1) {
                throw new SerializationException("ingest stream state version " + version + " is not supported (expected " + VERSION + ")");
            }
            int dim = in.readInt();
            String task = in.readBoolean() ? in.readUTF() : null;
            long segment = in.readLong();
            // a version-1 record (before ADWIN) keeps its label test's state; the other detectors start empty
            MonitorState drift = version == 1
                    ? new MonitorState(0, 0, DriftStateCodec.readPageHinkley(in), MonitorState.EMPTY.labelAdwin(), java.util.List.of())
                    : DriftStateCodec.readMonitor(in);
            String userTask = version >= 2 && in.readBoolean() ? in.readUTF() : null;
            return new StreamState(dim < 0 ? null : dim, task, segment, drift, userTask);
        } catch (IOException e) {
            throw new SerializationException("corrupt ingest stream state", e);
        }
    }
}
