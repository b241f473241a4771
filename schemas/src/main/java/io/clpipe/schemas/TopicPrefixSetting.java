package io.clpipe.schemas;

import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topic-prefix setting every service reads: {@code topics.prefix} (environment {@code CLPIPE_<SERVICE>_TOPICS_PREFIX}).
 * Ingest, evaluator and predictor used to spell it {@code topic.prefix}; that spelling is still accepted, with a
 * warning, and loses to the current one when both are set.
 */
public final class TopicPrefixSetting {

    public static final String KEY = "topics.prefix";
    public static final String FORMER_KEY = "topic.prefix";

    /** The declaration every service's {@link SettingsCatalog} lists; {@link #read} reads it. */
    public static final Setting<String> SETTING = Setting.string(KEY, Topics.DEFAULT_PREFIX,
            "prefix of every topic (the former spelling `topic.prefix` is accepted with a warning)")
            .shown("`--topic-prefix` (`" + Topics.DEFAULT_PREFIX + "`)");

    private static final Logger log = LoggerFactory.getLogger(TopicPrefixSetting.class);

    private TopicPrefixSetting() {
    }

    /** The prefix the settings name, if any. */
    public static Optional<String> read(String service, Properties props) {
        String current = props.getProperty(KEY);
        String former = props.getProperty(FORMER_KEY);
        if (former != null && !former.isBlank()) {
            if (current == null || current.isBlank()) {
                log.warn("{} setting {} is deprecated: use {} (environment CLPIPE_{}_TOPICS_PREFIX)", service, FORMER_KEY,
                        KEY, service.toUpperCase(java.util.Locale.ROOT));
                return Optional.of(former.trim());
            }
            if (!former.trim().equals(current.trim())) {
                log.warn("{} settings {}={} and the deprecated {}={} disagree: using {}", service, KEY, current.trim(),
                        FORMER_KEY, former.trim(), KEY);
            }
        }
        return current == null || current.isBlank() ? Optional.empty() : Optional.of(current.trim());
    }

    /** The prefix the settings name, else {@link Topics#DEFAULT_PREFIX}. */
    public static String readOrDefault(String service, Properties props) {
        return read(service, props).orElse(Topics.DEFAULT_PREFIX);
    }
}
