package io.clpipe.schemas;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The properties of one Kafka client of a clpipe service, with one precedence for every client: clpipe's
 * defaults, then the user's client settings ({@code --kafka-config}: bootstrap servers, security, tuning),
 * then what clpipe forces because a guarantee depends on it (transactions, isolation, manual commits,
 * serializers). A user value a forced one replaces is named in a warning, once per client built.
 */
public final class ClientConfig {

    private static final Logger log = LoggerFactory.getLogger(ClientConfig.class);

    private final String client;
    private final Properties user;
    private final Map<String, String> defaults = new LinkedHashMap<>();
    private final Map<String, String> forced = new LinkedHashMap<>();
    private final Set<String> dropped = new TreeSet<>();

    private ClientConfig(String client, Properties user) {
        this.client = client;
        this.user = user;
    }

    /** @param client named in warnings, e.g. "evaluator metrics producer" */
    public static ClientConfig of(String client, Properties user) {
        return new ClientConfig(client, user);
    }

    /** A value used unless the user's settings give one. */
    public ClientConfig byDefault(String key, Object value) {
        defaults.put(key, String.valueOf(value));
        return this;
    }

    /** A value used whatever the user's settings say. */
    public ClientConfig force(String key, Object value) {
        forced.put(key, String.valueOf(value));
        dropped.remove(key);
        return this;
    }

    /** A key this client must not have, even if the user's settings give it (e.g. a group id on a group-less reader). */
    public ClientConfig drop(String key) {
        dropped.add(key);
        forced.remove(key);
        return this;
    }

    /** The user's value of {@code key}, if any (for a default that depends on it). */
    public String user(String key) {
        Object value = user.get(key);
        return value != null ? String.valueOf(value) : user.getProperty(key);
    }

    public Properties build() {
        Properties p = new Properties();
        p.putAll(defaults);
        for (String key : user.stringPropertyNames()) {
            p.setProperty(key, user.getProperty(key));
        }
        user.forEach(p::put); // values that are no strings (an Integer put by code) count too
        forced.forEach((key, value) -> {
            String theirs = user(key);
            if (theirs != null && !Objects.equals(theirs, value)) {
                log.warn("{}: client setting {}={} is overridden by {} (clpipe needs it for its guarantees)", client, key,
                        theirs, value);
            }
            p.setProperty(key, value);
        });
        dropped.forEach(p::remove);
        return p;
    }
}
