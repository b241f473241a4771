package io.clpipe.learner.service;

import io.clpipe.schemas.Setting;
import io.clpipe.schemas.SettingsReader;
import java.util.Properties;

/** The learner's {@link SettingsReader}: errors name the learner. */
final class PropertyReader extends SettingsReader {

    PropertyReader(Properties props) {
        super("learner", props);
    }

    static IllegalArgumentException bad(String key, String value, String expected) {
        return SettingsReader.bad("learner", key, value, expected);
    }

    /** A value of {@code setting} that parsed but is none of the ones it expects. */
    static IllegalArgumentException bad(Setting<?> setting, String value) {
        return bad(setting.key(), value, setting.expected());
    }
}
