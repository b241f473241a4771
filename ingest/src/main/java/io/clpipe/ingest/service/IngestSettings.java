package io.clpipe.ingest.service;

import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.schemas.Setting;
import io.clpipe.schemas.SettingsCatalog;
import io.clpipe.schemas.TopicPrefixSetting;
import io.clpipe.schemas.ValidationConfig;
import java.util.List;

/**
 * Every ingest setting, declared once: {@link IngestServiceConfig#fromProperties} reads through these, and
 * docs/operations.md's "Ingest settings" table is generated from {@link #CATALOG}.
 */
public final class IngestSettings {

    private IngestSettings() {
    }

    public static final Setting<String> APPLICATION_ID = Setting.string("application.id", null,
            "Kafka Streams application id: the consumer group, the transactional-id prefix and the prefix of ingest's internal"
                    + " topics (state changelog, repartition of unkeyed records); the ACLs below use it. Upgrading a deployment"
                    + " that ran with another `--topic-prefix` before this setting existed (the id was always `clpipe-ingest`):"
                    + " set `application.id=clpipe-ingest`, or the new group starts again from the beginning of `clpipe.samples`")
            .shown("the prefix without its trailing `.`/`-`/`_`, plus `-ingest` (`clpipe-ingest`; prefix `team-a.clpipe.` ⇒"
                    + " `team-a.clpipe-ingest`)");
    public static final Setting<String> STATE_DIR = Setting.string("state.dir", null,
            "Kafka Streams state directory; the state lives in `<state.dir>/<application.id>` and is rebuilt from its"
                    + " changelog topic when lost").shown("`${java.io.tmpdir}/clpipe-streams`");
    public static final Setting<Integer> FEATURE_DIM = Setting.integer("feature.dim", null,
            "expected feature dimension of every stream; none ⇒ each stream's first valid sample fixes it").shown("none");
    public static final Setting<Integer> CLASSES = Setting.integer("classes", null,
            "labels must lie in `[0, classes)`; none ⇒ any label ≥ 0").shown("none");
    public static final Setting<Integer> MAX_RECORD_BYTES = Setting.integer("max.record.bytes",
            ValidationConfig.DEFAULT_MAX_RECORD_BYTES, "larger records are refused (`OVERSIZED`)");
    public static final Setting<Integer> MAX_TEXT_CHARS = Setting.integer("max.text.chars", ValidationConfig.DEFAULT_MAX_TEXT_CHARS,
            "longer `text` is refused (`TEXT_TOO_LONG`)");
    public static final Setting<Integer> EVAL_PERMILLE = Setting.integer("eval.permille", RoutingConfig.defaults().evalPerMille(),
            "share of samples without a `split` routed to `clpipe.eval`, in ‰, by a hash of the sample id");
    public static final Setting<Integer> TEXT_CHUNK_BYTES = Setting.integer("text.chunk.bytes",
            IngestServiceConfig.DEFAULT_TEXT_CHUNK_BYTES,
            "`text` samples longer than this many UTF-8 bytes are cut into pieces for the byte LM after the split is chosen;"
                    + " 0 = never");
    public static final Setting<Boolean> DRIFT_DETECTION = Setting.bool("drift.detection", false,
            "task-free streams: the label and feature detectors start `segment-N` tasks (\"Drift detection\" below)");
    public static final Setting<String> DRIFT = Setting.string("drift.*", null,
            "the detectors' settings; `--drift KEY=VALUE` is a shortcut for `--set`").shown("see \"Drift detection\"");

    public static final SettingsCatalog CATALOG = new SettingsCatalog("ingest", List.of(TopicPrefixSetting.SETTING,
            APPLICATION_ID, STATE_DIR, FEATURE_DIM, CLASSES, MAX_RECORD_BYTES, MAX_TEXT_CHARS, EVAL_PERMILLE, TEXT_CHUNK_BYTES,
            DRIFT_DETECTION, DRIFT));
}
