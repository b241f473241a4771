package io.clpipe.predictor.engine;

import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.ModelSpecCodec;
import io.clpipe.models.Models;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest model of every stream, swapped by version. A snapshot becomes visible only as a complete
 * {@link ServedModel} (a new model instance, every parameter loaded, then one map write); an older or
 * equal version than the one served is ignored (a restarted learner republishes versions). Lookups may
 * come from any thread; {@link #offer} and scoring with the returned models belong to one thread, which
 * is also the only one that closes a replaced model.
 */
public final class ModelTable implements AutoCloseable {

    /** What became of an offered snapshot. */
    public enum Swap {
        /** Now served (the first model of its stream, or a newer version). */
        APPLIED,
        /** A version at or below the one served; ignored. */
        STALE
    }

    private final Map<String, ServedModel> served = new ConcurrentHashMap<>();

    /**
     * @throws IllegalArgumentException if the spec cannot be decoded or the parameters do not fit it
     *                                  (the model served so far stays)
     */
    public Swap offer(Snapshot snapshot) {
        ServedModel current = served.get(snapshot.stream());
        if (current != null && snapshot.version() <= current.version()) {
            return Swap.STALE;
        }
        ModelSpec spec = ModelSpecCodec.decode(snapshot.modelSpec());
        Model model = Models.create(spec, 0);
        try {
            if (snapshot.parameters().length != model.parameterCount()) {
                throw new IllegalArgumentException(snapshot.parameters().length + " parameters, the spec '"
                        + snapshot.modelSpec() + "' has " + model.parameterCount());
            }
            model.loadParameters(snapshot.parameters());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        served.put(snapshot.stream(), new ServedModel(snapshot.stream(), snapshot.version(), snapshot.task(), spec, model));
        if (current != null) {
            current.close();
        }
        return Swap.APPLIED;
    }

    public Optional<ServedModel> get(String stream) {
        return Optional.ofNullable(served.get(stream));
    }

    /** Version served per stream. */
    public Map<String, Long> versions() {
        Map<String, Long> out = new java.util.TreeMap<>();
        served.forEach((stream, m) -> out.put(stream, m.version()));
        return out;
    }

    @Override
    public void close() {
        served.values().forEach(ServedModel::close);
        served.clear();
    }
}
