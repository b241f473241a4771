package io.clpipe.drift;

import java.util.List;

/**
 * Everything a {@link DriftMonitor} remembers about one stream; small enough for a state store
 * ({@link DriftStateCodec}): a few doubles per test and O(log W) buckets per ADWIN.
 *
 * @param seen               samples observed
 * @param sinceDetection     samples observed since the last reported detection (or since the start)
 * @param labelPageHinkley   the label test's state (test page-hinkley)
 * @param labelAdwin         the label test's state (test adwin)
 * @param features           one ADWIN per feature projection (empty until the first sample with features or text)
 */
public record MonitorState(long seen, long sinceDetection, PageHinkleyState labelPageHinkley, AdwinState labelAdwin,
                           List<AdwinState> features) {

    public static final MonitorState EMPTY = new MonitorState(0, 0, PageHinkleyState.EMPTY, AdwinState.EMPTY, List.of());

    public MonitorState {
        features = List.copyOf(features);
    }
}
