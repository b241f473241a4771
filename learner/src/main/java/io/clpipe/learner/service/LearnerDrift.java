package io.clpipe.learner.service;

import io.clpipe.drift.DriftConfig;
import io.clpipe.drift.DriftStateCodec;
import io.clpipe.drift.LossMonitor;
import io.clpipe.drift.Signal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The learner's drift settings ({@code drift.*} keys; only the loss signal applies here) and the
 * loss detector's state in a checkpoint's caller map, so that a restarted learner re-warms at the
 * same iterations as one that never stopped.
 */
final class LearnerDrift {

    /** No loss detector. */
    static final DriftConfig OFF = DriftConfig.defaults().withSignals(Set.of());

    private static final String KEY = "drift.loss.state";

    private LearnerDrift() {
    }

    /** {@code drift.*} keys of the learner's settings; marks them read. */
    static DriftConfig read(Properties properties, PropertyReader reader) {
        DriftConfig config = DriftConfig.fromProperties(properties, OFF);
        for (Signal s : config.signals()) {
            if (s != Signal.LOSS) {
                throw new IllegalArgumentException("learner setting drift.signals: the learner watches only 'loss' (labels and features "
                        + "are ingest's), got " + s.propertyName());
            }
        }
        properties.stringPropertyNames().stream().filter(k -> k.startsWith(DriftConfig.PREFIX)).forEach(reader::has);
        return config;
    }

    static void toCallerData(LossMonitor.State state, Map<String, String> callerData) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            DriftStateCodec.write(out, state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        callerData.put(KEY, Base64.getEncoder().encodeToString(bytes.toByteArray()));
    }

    /** The saved state, or an empty one (a checkpoint written with the detector off). */
    static LossMonitor.State fromCallerData(Map<String, String> callerData) {
        String v = callerData.get(KEY);
        if (v == null) {
            return LossMonitor.State.EMPTY;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(v)))) {
            return DriftStateCodec.readLoss(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed checkpoint entry " + KEY + ": " + e.getMessage(), e);
        }
    }
}
