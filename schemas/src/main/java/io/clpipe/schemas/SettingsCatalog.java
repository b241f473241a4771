package io.clpipe.schemas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every setting of one service, in the order its docs list them. docs/operations.md holds each service's table
 * between {@code <!-- settings:SERVICE -->} and {@code <!-- /settings:SERVICE -->}; each service has a test that the
 * committed table equals {@link #markdown()} (app's {@code SettingsDocsTest}; with {@code -Dclpipe.docs.write=true} it rewrites
 * the tables).
 */
public final class SettingsCatalog {

    private final String service;
    private final Map<String, Setting<?>> settings = new LinkedHashMap<>();

    public SettingsCatalog(String service, List<Setting<?>> settings) {
        this.service = service;
        for (Setting<?> s : settings) {
            if (this.settings.put(s.key(), s) != null) {
                throw new IllegalArgumentException(service + " setting " + s.key() + " is declared twice");
            }
        }
    }

    public String service() {
        return service;
    }

    public List<Setting<?>> settings() {
        return List.copyOf(settings.values());
    }

    /** The declared keys (a {@code prefix.*} declaration stands for every key under the prefix). */
    public Set<String> keys() {
        return Set.copyOf(settings.keySet());
    }

    public Optional<Setting<?>> find(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    /** The docs' table: key, default, meaning, one row per setting. */
    public String markdown() {
        StringBuilder out = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
        for (Setting<?> s : settings.values()) {
            out.append("| `").append(s.key()).append("` | ").append(s.shownDefault()).append(" | ").append(s.doc())
                    .append(" |\n");
        }
        return out.toString();
    }

    /** The table {@code document} holds between this service's markers. */
    public String tableIn(String document) {
        int[] span = span(document);
        return document.substring(span[0], span[1]);
    }

    /** {@code document} with the table between this service's markers replaced by {@link #markdown()}. */
    public String withTableIn(String document) {
        int[] span = span(document);
        return document.substring(0, span[0]) + markdown() + document.substring(span[1]);
    }

    /**
     * The table the file {@code document} holds now, for the services' docs tests. With the system property
     * {@code clpipe.docs.write=true} the file's table is first rewritten from the declarations: that is how the tables are
     * generated (docs/operations.md, "Configuring").
     */
    public String committedTable(Path document) throws IOException {
        String text = Files.readString(document);
        if (Boolean.getBoolean("clpipe.docs.write") && !withTableIn(text).equals(text)) {
            Files.writeString(document, withTableIn(text));
            text = Files.readString(document);
        }
        return tableIn(text);
    }

    private int[] span(String document) {
        String open = "<!-- settings:" + service + " -->\n";
        String close = "<!-- /settings:" + service + " -->";
        int start = document.indexOf(open);
        int end = document.indexOf(close);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("no " + open.trim() + " ... " + close + " in the document");
        }
        return new int[] {start + open.length(), end};
    }
}
