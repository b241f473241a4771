package io.clpipe.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (combined KRaft broker + controller) running in this JVM.
 *
 * <p>It is Kafka's own {@link KafkaRaftServer}, formatted the way {@code kafka-storage format} does.
 * We use the server class rather than the test kit's {@code KafkaClusterTestKit} because the test kit
 * pre-binds random ports and reformats its folder on every start; a broker that users point clients
 * at ({@code clpipe broker --port 19092}) and that fault tests restart on the same data needs both a
 * fixed port and a reusable data directory.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String CLUSTER_ID = "clpipe-embedded-kraft1";
    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final String bootstrapServers;
    private final int port;
    private final int controllerPort;
    private final BrokerSecurity security;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path dataDir, boolean deleteOnClose, int port, int controllerPort,
                                BrokerSecurity security) {
        this.server = server;
        this.security = security;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.port = port;
        this.controllerPort = controllerPort;
        this.bootstrapServers = "localhost:" + port;
    }

    /** Formats the data directory if needed, starts the broker and waits until it serves clients. */
    public static EmbeddedKafkaBroker start(BrokerConfig config) {
        long started = System.nanoTime();
        try {
            boolean temporary = config.dataDir() == null;
            Path dataDir = temporary ? Files.createTempDirectory("clpipe-kafka-") : config.dataDir().toAbsolutePath();
            Files.createDirectories(dataDir);
            int port = config.port() == 0 ? freePort() : config.port();
            int controllerPort = config.controllerPort() == 0 ? freePort() : config.controllerPort();
            KafkaConfig kafkaConfig = new KafkaConfig(brokerProperties(config, dataDir, port, controllerPort), false);
            ensureNotInUse(dataDir.resolve("metadata"));
            ensureNotInUse(dataDir.resolve("logs"));
            format(kafkaConfig, dataDir, config.security());
            KafkaRaftServer server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
            server.startup();
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, dataDir, temporary, port, controllerPort, config.security());
            broker.awaitReady(Duration.ofSeconds(60));
            log.info("Embedded Kafka broker ready at {} (data {}{}) in {} ms", broker.bootstrapServers, dataDir,
                    config.security() == null ? "" : "; SASL_SSL, SCRAM-SHA-512, StandardAuthorizer",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the broker's data directory", e);
        }
    }

    static Map<String, Object> brokerProperties(BrokerConfig config, Path dataDir, int port, int controllerPort) {
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        props.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.resolve("logs").toString());
        props.put("metadata.log.dir", dataDir.resolve("metadata").toString());
        // A single node cannot replicate: without these, transactions (exactly-once) hang.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "1");
        props.put("auto.create.topics.enable", "false");
        // Model snapshots are ~1-2 MB; allow up to 16 MB records broker-wide (topics may set less).
        props.put("message.max.bytes", Integer.toString(16 * 1024 * 1024));
        props.put("replica.fetch.max.bytes", Integer.toString(16 * 1024 * 1024));
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        if (config.security() != null) {
            props.putAll(securityProperties(config.security(), port, controllerPort));
        }
        props.putAll(config.overrides());
        return props;
    }

    /**
     * SASL_SSL (SCRAM-SHA-512) for clients and for the broker itself, TLS with client certificates on
     * the controller listener (KRaft controllers cannot use SCRAM: its credentials live in the very
     * metadata log they serve), and the StandardAuthorizer denying whatever no ACL allows.
     */
    static Map<String, Object> securityProperties(BrokerSecurity security, int port, int controllerPort) {
        String listener = BrokerSecurity.LISTENER;
        Map<String, Object> props = new HashMap<>();
        props.put("listeners", listener + "://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", listener + "://localhost:" + port);
        props.put("listener.security.protocol.map", listener + ":SASL_SSL,CONTROLLER:SSL");
        props.put("inter.broker.listener.name", listener);
        props.put("sasl.enabled.mechanisms", BrokerSecurity.MECHANISM);
        props.put("sasl.mechanism.inter.broker.protocol", BrokerSecurity.MECHANISM);
        props.put("listener.name." + listener.toLowerCase(java.util.Locale.ROOT) + "." + BrokerSecurity.MECHANISM.toLowerCase(java.util.Locale.ROOT)
                + ".sasl.jaas.config", BrokerSecurity.jaasConfig(security.superUser(), security.superUserPassword()));
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.location", security.keyStore().toAbsolutePath().toString());
        props.put("ssl.keystore.password", security.storePassword());
        props.put("ssl.key.password", security.storePassword());
        props.put("ssl.truststore.type", "PKCS12");
        props.put("ssl.truststore.location", security.trustStore().toAbsolutePath().toString());
        props.put("ssl.truststore.password", security.storePassword());
        props.put("listener.name.controller.ssl.client.auth", "required");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("allow.everyone.if.no.acl.found", "false");
        props.put("super.users", "User:" + security.superUser() + ";User:" + security.certificateSubject());
        return props;
    }

    private static void format(KafkaConfig config, Path dataDir, BrokerSecurity security) {
        Path metaProperties = dataDir.resolve("metadata").resolve("meta.properties");
        if (Files.exists(metaProperties)) {
            log.info("Reusing formatted data directory {}", dataDir);
        }
        try {
            new Formatter()
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(CLUSTER_ID)
                    .setDirectories(List.of(dataDir.resolve("logs").toString(), dataDir.resolve("metadata").toString()))
                    .setMetadataLogDirectory(dataDir.resolve("metadata").toString())
                    .setControllerListenerName("CONTROLLER")
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setUnstableFeatureVersionsEnabled(false)
                    .setIgnoreFormatted(true)
                    .setScramArguments(security == null ? List.of() : List.of(BrokerSecurity.MECHANISM
                            + "=[name=" + security.superUser() + ",password=" + security.superUserPassword() + "]"))
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("formatting broker storage in " + dataDir + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Kafka halts the whole JVM when another broker holds the data directory; check first so the
     * operator gets an error instead.
     */
    private static void ensureNotInUse(Path dir) throws IOException {
        Path lock = dir.resolve(".lock");
        if (!Files.exists(lock)) {
            return;
        }
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lock,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock held = channel.tryLock();
            if (held == null) {
                throw new IllegalStateException("data directory " + dir.getParent() + " is in use by another running broker");
            }
            held.release();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw new IllegalStateException("data directory " + dir.getParent() + " is in use by a broker in this JVM", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("localhost", 0));
            return socket.getLocalPort();
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin()) {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker", e);
            }
        }
        close();
        throw new IllegalStateException("embedded broker did not become ready within " + timeout, last);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Whether clients must connect over SASL_SSL (see {@link BrokerSecurity}). */
    public boolean secured() {
        return security != null;
    }

    /**
     * What a client needs to connect as the broker's own super user: the bootstrap servers and, on a
     * secured broker, the SASL_SSL settings (trust store, SCRAM login). Tools use it to create topics,
     * users and ACLs.
     */
    public Properties superUserClientProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (security != null) {
            props.putAll(clientSecurityProperties(security.trustStore(), security.storePassword(), security.superUser(),
                    security.superUserPassword()));
        }
        return props;
    }

    /** The client settings of a SCRAM-SHA-512 user over TLS, as they would go in a {@code --kafka-config} file. */
    public static Properties clientSecurityProperties(Path trustStore, String trustStorePassword, String user, String password) {
        Properties props = new Properties();
        props.put("security.protocol", "SASL_SSL");
        props.put("sasl.mechanism", BrokerSecurity.MECHANISM);
        props.put("sasl.jaas.config", BrokerSecurity.jaasConfig(user, password));
        props.put("ssl.truststore.type", "PKCS12");
        props.put("ssl.truststore.location", trustStore.toAbsolutePath().toString());
        props.put("ssl.truststore.password", trustStorePassword);
        return props;
    }

    /** An admin client for this broker (the super user on a secured one); the caller closes it. */
    public Admin admin() {
        Properties props = superUserClientProperties();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        return Admin.create(props);
    }

    /** Creates the topics that do not exist yet (existing ones are left as they are) and waits until they are writable. */
    public void createTopics(List<NewTopic> topics) {
        try (Admin admin = admin()) {
            TopicCreation.create(admin, topics);
        } catch (ExecutionException e) {
            throw new IllegalStateException("creating topics " + topics.stream().map(NewTopic::name).toList() + " failed: "
                    + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating topics timed out", e);
        }
    }

    /** Stops the broker cleanly (controlled shutdown) and, for a temporary data directory, deletes it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
        log.info("Embedded Kafka broker at {} stopped", bootstrapServers);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }
}
