package io.clpipe.learner.service;

import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/** Typed reads of string properties that remember which keys were asked for, to refuse typos. */
final class PropertyReader {

    private final Properties props;
    private final Set<String> known = new TreeSet<>();

    PropertyReader(Properties props) {
        this.props = props;
    }

    boolean has(String key) {
        known.add(key);
        return props.getProperty(key) != null;
    }

    String string(String key, String fallback) {
        known.add(key);
        String v = props.getProperty(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    int integer(String key, int fallback) {
        String v = string(key, null);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw bad(key, v, "an integer");
        }
    }

    long longValue(String key, long fallback) {
        String v = string(key, null);
        try {
            return v == null ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw bad(key, v, "an integer");
        }
    }

    double decimal(String key, double fallback) {
        String v = string(key, null);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw bad(key, v, "a number");
        }
    }

    boolean bool(String key, boolean fallback) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw bad(key, v, "true or false");
        }
        return Boolean.parseBoolean(v);
    }

    int[] integers(String key, int[] fallback) {
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
            throw bad(key, v, "comma-separated integers");
        }
    }

    double[] decimals(String key, int count) {
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
        throw bad(key, v, count + " comma-separated numbers");
    }

    /** Refuses any property that no read asked for. */
    void rejectUnknown() {
        Set<String> unknown = new TreeSet<>(props.stringPropertyNames());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown learner setting(s) " + unknown + "; known: " + known);
        }
    }

    static IllegalArgumentException bad(String key, String value, String expected) {
        return new IllegalArgumentException("learner setting " + key + "=" + value + ": expected " + expected);
    }
}
