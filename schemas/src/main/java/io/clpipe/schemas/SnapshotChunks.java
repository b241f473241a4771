package io.clpipe.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The chunked form of a model snapshot on the models topic (docs/records.md, "Chunked snapshots").
 * A snapshot whose Avro bytes fit one chunk stays one record, as always. A larger one is its Avro
 * bytes cut into chunk records (header {@value #CHUNK_HEADER} = {@code <set>/<index>/<count>}),
 * followed by one manifest record (header {@value #MANIFEST_HEADER} = the format version, value a
 * JSON {@link Manifest} with the SHA-256 of the whole), all keyed by the stream so that they land in
 * one partition, in order. Readers put them back together with {@link SnapshotAssembler}.
 */
public final class SnapshotChunks {

    /** Header of a chunk record: {@code <set id>/<index>/<count>}. */
    public static final String CHUNK_HEADER = "clpipe.snapshot.chunk";
    /** Header of a manifest record: the chunked format's version. */
    public static final String MANIFEST_HEADER = "clpipe.snapshot.manifest";
    public static final int FORMAT = 1;
    /**
     * Default chunk payload: 960 KiB, so that a chunk record with its key and headers fits a 1 MiB
     * record limit (a broker's default {@code message.max.bytes}, managed Kafka offerings).
     */
    public static final int DEFAULT_CHUNK_BYTES = 960 << 10;
    /** Room a chunk record needs beyond its payload: key, headers, record and batch framing. */
    public static final int RECORD_OVERHEAD_BYTES = 16 << 10;
    /** Smallest chunk size accepted. */
    public static final int MIN_CHUNK_BYTES = 1 << 10;

    private static final ObjectMapper JSON = new ObjectMapper();

    private SnapshotChunks() {
    }

    /** One record to send: its value and headers (the key is the stream). */
    public record Part(byte[] value, Map<String, String> headers) {
    }

    /**
     * The manifest of a chunk set.
     *
     * @param set     id shared by the set's chunk records (a fresh UUID per snapshot sent)
     * @param stream  the stream (also the record key)
     * @param version the snapshot's version
     * @param bytes   size of the whole Avro snapshot
     * @param chunks  number of chunk records before the manifest
     * @param sha256  hex SHA-256 of the whole
     */
    public record Manifest(String set, String stream, long version, long bytes, int chunks, String sha256) {

        public byte[] toJson() {
            return JSON.createObjectNode().put("format", FORMAT).put("set", set).put("stream", stream).put("version", version)
                    .put("bytes", bytes).put("chunks", chunks).put("sha256", sha256).toString().getBytes(StandardCharsets.UTF_8);
        }

        /** @throws IllegalArgumentException when the bytes are no manifest of this format */
        public static Manifest fromJson(byte[] value) {
            JsonNode o;
            try {
                o = value == null ? null : JSON.readTree(value);
            } catch (IOException e) {
                throw new IllegalArgumentException("manifest is not JSON: " + e.getMessage(), e);
            }
            if (o == null || !o.isObject() || o.path("format").asInt(-1) != FORMAT) {
                throw new IllegalArgumentException("not a snapshot manifest of format " + FORMAT);
            }
            for (String field : new String[] {"set", "stream", "version", "bytes", "chunks", "sha256"}) {
                if (!o.hasNonNull(field)) {
                    throw new IllegalArgumentException("manifest has no '" + field + "'");
                }
            }
            return new Manifest(o.get("set").asText(), o.get("stream").asText(), o.get("version").asLong(), o.get("bytes").asLong(),
                    o.get("chunks").asInt(), o.get("sha256").asText());
        }
    }

    /** Position of a chunk record in its set, from its {@value #CHUNK_HEADER} header. */
    public record ChunkId(String set, int index, int count) {

        String text() {
            return set + "/" + index + "/" + count;
        }

        /** @throws IllegalArgumentException when the header is not {@code <set>/<index>/<count>} */
        static ChunkId parse(String text) {
            String[] f = text.split("/");
            try {
                if (f.length == 3) {
                    ChunkId id = new ChunkId(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]));
                    if (id.index >= 0 && id.index < id.count) {
                        return id;
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("chunk header '" + text + "' is not <set>/<index>/<count>");
        }
    }

    /**
     * The records of one snapshot: its bytes as they are when they fit {@code chunkBytes}, else chunk
     * records and a manifest. {@code headers} go on the single record or on the manifest.
     */
    public static List<Part> parts(String stream, long version, byte[] snapshot, Map<String, String> headers, int chunkBytes) {
        if (chunkBytes < MIN_CHUNK_BYTES) {
            throw new IllegalArgumentException("snapshot chunk size must be at least " + MIN_CHUNK_BYTES + " bytes, got " + chunkBytes);
        }
        if (snapshot.length <= chunkBytes) {
            return List.of(new Part(snapshot, headers));
        }
        List<byte[]> slices = ChunkedBytes.split(snapshot, chunkBytes);
        String set = UUID.randomUUID().toString();
        List<Part> out = new ArrayList<>(slices.size() + 1);
        for (int i = 0; i < slices.size(); i++) {
            out.add(new Part(slices.get(i), Map.of(CHUNK_HEADER, new ChunkId(set, i, slices.size()).text())));
        }
        Map<String, String> manifestHeaders = new LinkedHashMap<>(headers);
        manifestHeaders.put(MANIFEST_HEADER, Integer.toString(FORMAT));
        Manifest manifest = new Manifest(set, stream, version, snapshot.length, slices.size(), ChunkedBytes.sha256Hex(snapshot));
        out.add(new Part(manifest.toJson(), manifestHeaders));
        return out;
    }
}
