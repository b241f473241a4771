package io.clpipe.evaluator.service;

import io.clpipe.schemas.Setting;
import io.clpipe.schemas.SettingsCatalog;
import io.clpipe.schemas.TopicPrefixSetting;
import java.util.List;

/**
 * Every scorer setting ({@code clpipe scorer}), declared once: {@link ScorerServiceConfig} reads through these, and
 * docs/operations.md's "Scorer settings" table is generated from {@link #CATALOG}.
 */
public final class ScorerSettings {

    private ScorerSettings() {
    }

    public static final Setting<String> GROUP_ID = Setting.string("group.id", ScorerServiceConfig.DEFAULT_GROUP_ID,
            "consumer group of `clpipe.score-requests`; all scorers share it (whichever evaluators they serve)");
    public static final Setting<String> TRANSACTIONAL_ID = Setting.string("transactional.id", null,
            "scores producer's transactional id; one per instance (`CLPIPE_SCORER_TRANSACTIONAL_ID`)").shown("the group id");
    public static final Setting<Long> POLL_TIMEOUT_MS = Setting.longValue("poll.timeout.ms", 500L,
            "requests poll timeout (also bounds how fast a stop returns)");
    public static final Setting<Long> CATCHUP_TIMEOUT_MS = Setting.longValue("catchup.timeout.ms", 10_000L,
            "longest wait for the eval topic to be read to its end before a batch, and for a requested snapshot to be read");
    public static final Setting<Integer> MAX_REQUESTS_PER_TRANSACTION = Setting.integer("max.requests.per.transaction", 4,
            "requests scored and committed in one transaction");

    public static final SettingsCatalog CATALOG = new SettingsCatalog("scorer", List.of(GROUP_ID, TRANSACTIONAL_ID,
            TopicPrefixSetting.SETTING, POLL_TIMEOUT_MS, CATCHUP_TIMEOUT_MS, MAX_REQUESTS_PER_TRANSACTION));
}
