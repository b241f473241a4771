package io.clpipe.predictor.service;

import io.clpipe.schemas.Setting;
import io.clpipe.schemas.SettingsCatalog;
import io.clpipe.schemas.TopicPrefixSetting;
import java.util.List;

/**
 * Every predictor setting, declared once: {@link PredictorServiceConfig} reads through these, and docs/operations.md's
 * "Predictor settings" table is generated from {@link #CATALOG}.
 */
public final class PredictorSettings {

    private PredictorSettings() {
    }

    public static final Setting<String> GROUP_ID = Setting.string("group.id", PredictorServiceConfig.DEFAULT_GROUP_ID,
            "consumer group of `clpipe.requests`; instances in one group share its partitions");
    public static final Setting<String> TRANSACTIONAL_ID = Setting.string("transactional.id", null,
            "predictions producer's transactional id; one per instance, kept across its restarts").shown("the group id");
    public static final Setting<Integer> TOP_K = Setting.integer("top.k", 5, "classes (bytes) returned when a request has no `top`");
    public static final Setting<Integer> MAX_CONTINUATION = Setting.integer("max.continuation", 64,
            "longest greedy continuation (bytes) a language-model request may ask for");
    public static final Setting<Integer> MAX_REQUEST_BYTES = Setting.integer("max.request.bytes", 1 << 20,
            "larger requests go to `clpipe.dlq` (`OVERSIZED`)");
    public static final Setting<Integer> MAX_REQUESTS_PER_TRANSACTION = Setting.integer("max.requests.per.transaction", 500,
            "requests read, answered and committed per transaction (`max.poll.records`)");
    public static final Setting<Integer> POLL_TIMEOUT_MS = Setting.integer("poll.timeout.ms", 200, "requests poll timeout");
    public static final Setting<Integer> CATCHUP_TIMEOUT_MS = Setting.integer("catchup.timeout.ms", 30_000,
            "longest wait to read `clpipe.models` to its end before a batch is answered (then: the versions read so far,"
                    + " with a warning)");

    public static final SettingsCatalog CATALOG = new SettingsCatalog("predictor", List.of(GROUP_ID, TopicPrefixSetting.SETTING,
            TRANSACTIONAL_ID, TOP_K, MAX_CONTINUATION, MAX_REQUEST_BYTES, MAX_REQUESTS_PER_TRANSACTION, POLL_TIMEOUT_MS,
            CATCHUP_TIMEOUT_MS));
}
