package io.clpipe.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * A service's own settings (not Kafka client ones): a properties file, then environment variables
 * {@code CLPIPE_<SERVICE>_<KEY>} (key upper-cased, dots as underscores), then {@code --set key=value}.
 * The service's config class validates the keys and refuses unknown ones.
 */
final class ServiceSettings {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of service settings (see docs/operations.md).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "One service setting; wins over --config and the environment. Repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    Properties load(String service) {
        return load(service, System.getenv());
    }

    /** {@link #load(String)} with the environment given (tests). */
    Properties load(String service, Map<String, String> environment) {
        Properties props = new Properties();
        if (file != null) {
            try (Reader reader = Files.newBufferedReader(file)) {
                props.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --config " + file + ": " + e.getMessage(), e);
            }
        }
        String prefix = "CLPIPE_" + service.toUpperCase(Locale.ROOT) + "_";
        environment.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                props.setProperty(name.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        overrides.forEach(props::setProperty);
        return props;
    }
}
