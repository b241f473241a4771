package io.clpipe.broker;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to run the embedded broker.
 *
 * @param port          client listener port on localhost; 0 picks a free one
 * @param controllerPort KRaft controller listener port; 0 picks a free one
 * @param dataDir       where logs and metadata live; {@code null} means a temporary folder deleted on close.
 *                      An existing, already formatted folder is reused, so a restart keeps every topic.
 * @param overrides     extra broker properties (win over the defaults)
 * @param security      {@code null} for a PLAINTEXT broker without authorisation (tests, the demo);
 *                      otherwise SASL_SSL + SCRAM-SHA-512 + ACLs (see {@link BrokerSecurity})
 */
public record BrokerConfig(int port, int controllerPort, Path dataDir, Map<String, String> overrides, BrokerSecurity security) {

    public BrokerConfig(int port, int controllerPort, Path dataDir, Map<String, String> overrides) {
        this(port, controllerPort, dataDir, overrides, null);
    }

    public BrokerConfig {
        if (port < 0 || port > 65535 || controllerPort < 0 || controllerPort > 65535) {
            throw new IllegalArgumentException("port out of range: " + port + "/" + controllerPort);
        }
        overrides = Map.copyOf(overrides);
    }

    /** Random ports, temporary data: what tests and the demo use. */
    public static BrokerConfig ephemeral() {
        return new BrokerConfig(0, 0, null, Map.of());
    }

    public static BrokerConfig of(int port, Path dataDir) {
        return new BrokerConfig(port, 0, dataDir, Map.of());
    }

    public BrokerConfig withOverrides(Map<String, String> extra) {
        java.util.HashMap<String, String> merged = new java.util.HashMap<>(overrides);
        merged.putAll(extra);
        return new BrokerConfig(port, controllerPort, dataDir, merged, security);
    }

    /** The same broker, secured (SASL_SSL, SCRAM-SHA-512, StandardAuthorizer). */
    public BrokerConfig withSecurity(BrokerSecurity newSecurity) {
        return new BrokerConfig(port, controllerPort, dataDir, overrides, newSecurity);
    }
}
