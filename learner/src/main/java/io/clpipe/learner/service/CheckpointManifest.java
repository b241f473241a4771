package io.clpipe.learner.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The manifest record of one checkpoint generation on the checkpoints topic: which stream, where it
 * resumes, how many chunk records hold the checkpoint bytes and their SHA-256. JSON, so that
 * {@code kafka-console-consumer} shows what a learner would resume from. Written after its chunks: a
 * generation without a manifest (a learner killed while writing it) does not exist for readers.
 *
 * @param stream         the stream id
 * @param generation     per stream, increasing by one with every checkpoint written
 * @param trainTopic     the training topic the stream lives in
 * @param trainPartition its partition (an assignment of that partition resumes the stream)
 * @param iteration      the model's iteration at this checkpoint
 * @param resumeOffset   first training offset not trained yet
 * @param bytes          size of the whole checkpoint (the engine's binary format, trailer included)
 * @param chunks         number of chunk records
 * @param sha256         hex SHA-256 of the whole checkpoint
 */
public record CheckpointManifest(String stream, long generation, String trainTopic, int trainPartition, long iteration,
                                 long resumeOffset, long bytes, int chunks, String sha256) {

    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public CheckpointManifest {
        if (generation < 0 || bytes < 0 || chunks < 0 || sha256 == null || sha256.length() != 64) {
            throw new IllegalArgumentException("invalid checkpoint manifest of stream " + stream + " generation " + generation);
        }
    }

    /** Key of this manifest: {@code <stream>/<generation>/m}, the stream encoded as in checkpoint file names. */
    public String key() {
        return keyPrefix(stream, generation) + "m";
    }

    /** Key of chunk {@code index}: {@code <stream>/<generation>/<index>}. */
    public String chunkKey(int index) {
        return keyPrefix(stream, generation) + index;
    }

    static String keyPrefix(String stream, long generation) {
        return DirectoryCheckpointStore.encode(stream) + "/" + generation + "/";
    }

    /** Human-readable: stream and generation. */
    public String describe() {
        return "stream " + stream + " generation " + generation;
    }

    byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT).put("stream", stream).put("generation", generation).put("train_topic", trainTopic)
                .put("train_partition", trainPartition).put("iteration", iteration).put("resume_offset", resumeOffset)
                .put("bytes", bytes).put("chunks", chunks).put("sha256", sha256);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException when the bytes are no manifest of this format */
    static CheckpointManifest fromJson(byte[] value) {
        JsonNode o;
        try {
            o = JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (o == null || !o.isObject() || o.path("format").asInt(-1) != FORMAT) {
            throw new IllegalArgumentException("not a checkpoint manifest of format " + FORMAT);
        }
        for (String field : new String[] {"stream", "generation", "train_topic", "train_partition", "iteration", "resume_offset",
            "bytes", "chunks", "sha256"}) {
            if (!o.hasNonNull(field)) {
                throw new IllegalArgumentException("manifest has no '" + field + "'");
            }
        }
        return new CheckpointManifest(o.get("stream").asText(), o.get("generation").asLong(), o.get("train_topic").asText(),
                o.get("train_partition").asInt(), o.get("iteration").asLong(), o.get("resume_offset").asLong(),
                o.get("bytes").asLong(), o.get("chunks").asInt(), o.get("sha256").asText());
    }
}
