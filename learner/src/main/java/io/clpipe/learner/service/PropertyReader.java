package io.clpipe.learner.service;

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
}
