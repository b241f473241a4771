package io.clpipe.schemas;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One service setting, declared once: its key, how its text is parsed, its default and what it means. The
 * services' config classes read through these declarations, and docs/operations.md's settings tables are
 * generated from them ({@link SettingsCatalog}).
 *
 * @param key          property key; environment variable {@code CLPIPE_<SERVICE>_<KEY>} upper-cased, dots as underscores
 * @param parser       text to value; throws {@link IllegalArgumentException} on a bad value
 * @param expected     what a value must be, for error messages ("an integer")
 * @param defaultValue the value when the key is not set; null when the default is derived from other settings
 * @param shownDefault the default as the docs show it (Markdown); empty when there is none
 * @param doc          what the setting does (Markdown, one line)
 */
public record Setting<T>(String key, Function<String, T> parser, String expected, T defaultValue, String shownDefault,
                         String doc) {

    public Setting {
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(shownDefault, "shownDefault");
        if (key == null || !key.matches("[a-z0-9]+(\\.[a-z0-9]+)*(\\.\\*)?")) {
            // Lower-case words joined by dots: the only keys the environment mapping can spell.
            throw new IllegalArgumentException("setting key must be lower-case words joined by dots, got " + key);
        }
        if (doc == null || doc.isBlank() || doc.contains("\n") || doc.contains("|")) {
            throw new IllegalArgumentException("setting " + key + " needs a one-line doc without '|'");
        }
    }

    public static Setting<Integer> integer(String key, Integer defaultValue, String doc) {
        return new Setting<>(key, Integer::valueOf, "an integer", defaultValue, shown(defaultValue), doc);
    }

    public static Setting<Long> longValue(String key, Long defaultValue, String doc) {
        return new Setting<>(key, Long::valueOf, "an integer", defaultValue, shown(defaultValue), doc);
    }

    public static Setting<Double> decimal(String key, Double defaultValue, String doc) {
        return new Setting<>(key, Double::valueOf, "a number", defaultValue, shown(defaultValue), doc);
    }

    public static Setting<Boolean> bool(String key, boolean defaultValue, String doc) {
        return new Setting<>(key, Setting::parseBoolean, "true or false", defaultValue, "`" + defaultValue + "`", doc);
    }

    public static Setting<String> string(String key, String defaultValue, String doc) {
        return new Setting<>(key, Function.identity(), "a string", defaultValue,
                defaultValue == null ? "" : "`" + defaultValue + "`", doc);
    }

    /** Comma-separated integers; {@code none} is the empty list. */
    public static Setting<int[]> integers(String key, int[] defaultValue, String doc) {
        return new Setting<>(key, Setting::parseIntegers, "comma-separated integers", defaultValue,
                defaultValue == null ? "" : "`" + String.join(",", Arrays.stream(defaultValue).mapToObj(Integer::toString)
                        .toList()) + "`", doc);
    }

    /** The same setting with the default shown as {@code text} in the docs (a derived default, or one worth explaining). */
    public Setting<T> shown(String text) {
        return new Setting<>(key, parser, expected, defaultValue, text, doc);
    }

    /** The same setting, its error messages saying a value must be {@code what} (e.g. a list of choices). */
    public Setting<T> expecting(String what) {
        return new Setting<>(key, parser, what, defaultValue, shownDefault, doc);
    }

    /** The value of {@code text}, trimmed. @throws IllegalArgumentException when it does not parse */
    public T parse(String text) {
        return parser.apply(text.trim());
    }

    /** The environment variable that sets this key for {@code service}. */
    public String environmentVariable(String service) {
        return "CLPIPE_" + service.toUpperCase(Locale.ROOT) + "_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private static String shown(Object value) {
        if (value instanceof Double d) {
            return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return value == null ? "" : value.toString();
    }

    private static Boolean parseBoolean(String text) {
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("not a boolean: " + text);
        }
        return Boolean.parseBoolean(text);
    }

    private static int[] parseIntegers(String text) {
        if (text.equalsIgnoreCase("none")) {
            return new int[0];
        }
        return Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }
}
