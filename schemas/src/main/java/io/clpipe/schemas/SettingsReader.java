package io.clpipe.schemas;

import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of a service's string settings (a properties file, the environment, {@code --set}) that
 * remember which keys were asked for, to refuse typos. Shared by the services' config classes.
 */
public class SettingsReader {

    private final String service;
    private final Properties props;
    private final Set<String> known = new TreeSet<>();

    /** @param service named in error messages, e.g. "ingest" */
    public SettingsReader(String service, Properties props) {
        this.service = service;
        this.props = props;
    }

    /** The value of {@code setting}, else its declared default. */
    public <T> T get(Setting<T> setting) {
        return get(setting, setting.defaultValue());
    }

    /** The value of {@code setting}, else {@code fallback} (a default derived from other settings). */
    public <T> T get(Setting<T> setting, T fallback) {
        String v = string(setting.key(), null);
        if (v == null) {
            return copy(fallback);
        }
        try {
            return setting.parse(v);
        } catch (IllegalArgumentException e) {
            throw invalid(setting.key(), v, setting.expected());
        }
    }

    public boolean has(Setting<?> setting) {
        return has(setting.key());
    }

    public boolean has(String key) {
        known.add(key);
        return props.getProperty(key) != null;
    }

    public String string(String key, String fallback) {
        known.add(key);
        String v = props.getProperty(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    public int integer(String key, int fallback) {
        String v = string(key, null);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw invalid(key, v, "an integer");
        }
    }

    public long longValue(String key, long fallback) {
        String v = string(key, null);
        try {
            return v == null ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw invalid(key, v, "an integer");
        }
    }

    public double decimal(String key, double fallback) {
        String v = string(key, null);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw invalid(key, v, "a number");
        }
    }

    public boolean bool(String key, boolean fallback) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw invalid(key, v, "true or false");
        }
        return Boolean.parseBoolean(v);
    }

    public int[] integers(String key, int[] fallback) {
        String v = string(key, null);
        if (v == null) {
            return fallback.clone();
        }
        if (v.equalsIgnoreCase("none")) {
            return new int[0];
        }
        try {
            return Arrays.stream(v.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw invalid(key, v, "comma-separated integers");
        }
    }

    public double[] decimals(String key, int count) {
        String v = string(key, null);
        if (v == null) {
            return null;
        }
        try {
            double[] out = Arrays.stream(v.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
            if (out.length == count) {
                return out;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, v, count + " comma-separated numbers");
    }

    /** Arrays are copied: a declared default is shared. */
    @SuppressWarnings("unchecked")
    private static <T> T copy(T value) {
        return value instanceof int[] ints ? (T) ints.clone() : value;
    }

    /** Every setting whose key starts with {@code prefix} (all taken as known), for a config that reads its own keys. */
    public Properties prefixed(String prefix) {
        Properties out = new Properties();
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                known.add(key);
                out.setProperty(key, props.getProperty(key));
            }
        }
        return out;
    }

    /** Refuses any property that no read asked for. */
    public void rejectUnknown() {
        Set<String> unknown = new TreeSet<>(props.stringPropertyNames());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown " + service + " setting(s) " + unknown + "; known: " + known);
        }
    }

    /** A bad value of {@code key}: names the service, the key, the value and what was expected. */
    public IllegalArgumentException invalid(String key, String value, String expected) {
        return bad(service, key, value, expected);
    }

    public static IllegalArgumentException bad(String service, String key, String value, String expected) {
        return new IllegalArgumentException(service + " setting " + key + "=" + value + ": expected " + expected);
    }
}
