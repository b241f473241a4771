package io.clpipe.learner.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a reader of the compacted checkpoints topic knows: per stream, every generation with its
 * manifest (if any) and where each of its chunk records is. The latest record of a key wins, as
 * compaction will have it; a tombstone removes the key. Values of chunks are not kept, only their
 * positions, so the index stays small whatever the checkpoint sizes.
 */
final class CheckpointIndex {

    /** Where a record is on the checkpoints topic. */
    record Location(int partition, long offset) {
    }

    /** One generation as seen so far. */
    static final class Generation {
        final long number;
        CheckpointManifest manifest;
        String manifestProblem;
        Location manifestAt;
        final Map<Integer, Location> chunks = new TreeMap<>();

        Generation(long number) {
            this.number = number;
        }

        boolean hasManifestRecord() {
            return manifest != null || manifestProblem != null;
        }

        boolean empty() {
            return !hasManifestRecord() && chunks.isEmpty();
        }
    }

    /** A key of the checkpoints topic: stream (encoded), generation, and "m" or a chunk number. */
    record Key(String stream, long generation, int chunk) {
        static final int MANIFEST = -1;

        boolean isManifest() {
            return chunk == MANIFEST;
        }

        String text() {
            return stream + "/" + generation + "/" + (isManifest() ? "m" : Integer.toString(chunk));
        }

        /** @return empty when the key is not of this layout */
        static Optional<Key> parse(String key) {
            if (key == null) {
                return Optional.empty();
            }
            int last = key.lastIndexOf('/');
            int mid = last <= 0 ? -1 : key.lastIndexOf('/', last - 1);
            if (mid <= 0) {
                return Optional.empty();
            }
            try {
                long generation = Long.parseLong(key.substring(mid + 1, last));
                String suffix = key.substring(last + 1);
                int chunk = suffix.equals("m") ? MANIFEST : Integer.parseInt(suffix);
                if (generation < 0 || chunk < MANIFEST) {
                    return Optional.empty();
                }
                return Optional.of(new Key(key.substring(0, mid), generation, chunk));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    private final Map<String, TreeMap<Long, Generation>> streams = new HashMap<>();

    /**
     * Applies one record of the topic ({@code value} null: a tombstone).
     *
     * @return a problem with a manifest value, to log; empty otherwise
     */
    Optional<String> apply(Key key, byte[] value, Location at) {
        TreeMap<Long, Generation> gens = streams.computeIfAbsent(key.stream(), k -> new TreeMap<>());
        Generation g = gens.computeIfAbsent(key.generation(), Generation::new);
        Optional<String> problem = Optional.empty();
        if (key.isManifest()) {
            g.manifest = null;
            g.manifestProblem = null;
            g.manifestAt = value == null ? null : at;
            if (value != null) {
                try {
                    CheckpointManifest m = CheckpointManifest.fromJson(value);
                    if (!m.key().equals(key.text())) {
                        throw new IllegalArgumentException("it describes " + m.describe() + ", not the generation of its key");
                    }
                    g.manifest = m;
                } catch (IllegalArgumentException e) {
                    g.manifestProblem = e.getMessage();
                    problem = Optional.of("manifest " + key.text() + " at " + at + " is unreadable: " + e.getMessage());
                }
            }
        } else if (value == null) {
            g.chunks.remove(key.chunk());
        } else {
            g.chunks.put(key.chunk(), at);
        }
        if (g.empty()) {
            gens.remove(key.generation());
            if (gens.isEmpty()) {
                streams.remove(key.stream());
            }
        }
        return problem;
    }

    /** Encoded ids of the streams whose newest manifest places them in this training partition. */
    List<String> streamsOf(String topic, int partition) {
        List<String> out = new ArrayList<>();
        streams.forEach((stream, gens) -> gens.descendingMap().values().stream().filter(g -> g.manifest != null).findFirst()
                .filter(g -> g.manifest.trainTopic().equals(topic) && g.manifest.trainPartition() == partition)
                .ifPresent(g -> out.add(stream)));
        out.sort(null);
        return out;
    }

    /** The stream's generations that have a manifest record (readable or not), newest first. */
    List<Generation> candidates(String stream) {
        return generations(stream).descendingMap().values().stream().filter(Generation::hasManifestRecord).toList();
    }

    /** A number above every generation the stream has on the topic, orphan chunks included. */
    long nextGeneration(String stream) {
        NavigableMap<Long, Generation> gens = generations(stream);
        return gens.isEmpty() ? 0 : gens.lastKey() + 1;
    }

    /**
     * Keys to tombstone so that only the newest {@code keep} generations with a readable manifest stay
     * (with every newer record, e.g. a generation being written).
     */
    List<Key> prunable(String stream, int keep) {
        List<Key> out = new ArrayList<>();
        int kept = 0;
        for (Generation g : generations(stream).descendingMap().values()) {
            if (kept >= keep) {
                if (g.hasManifestRecord()) {
                    out.add(new Key(stream, g.number, Key.MANIFEST));
                }
                g.chunks.keySet().forEach(c -> out.add(new Key(stream, g.number, c)));
            } else if (g.manifest != null) {
                kept++;
            }
        }
        return out;
    }

    /** Every stream's generations with a readable manifest, newest first. */
    Map<String, List<CheckpointManifest>> manifests() {
        Map<String, List<CheckpointManifest>> out = new TreeMap<>();
        streams.forEach((stream, gens) -> {
            List<CheckpointManifest> ms = gens.descendingMap().values().stream().filter(g -> g.manifest != null)
                    .map(g -> g.manifest).toList();
            if (!ms.isEmpty()) {
                out.put(ms.get(0).stream(), ms);
            }
        });
        return out;
    }

    private NavigableMap<Long, Generation> generations(String stream) {
        return streams.getOrDefault(stream, new TreeMap<>());
    }
}
