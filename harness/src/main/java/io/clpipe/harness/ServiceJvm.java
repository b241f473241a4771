package io.clpipe.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One clpipe service in a JVM of its own, started the way a container starts it: the real main class
 * and command line ({@code java -cp … io.clpipe.app.Clpipe learner …}) on the class path of this JVM
 * (the shaded jar, or the test class path) unless told otherwise, the command's own {@code logback.xml}
 * (not a test's logback-test.xml), its output in a log file. What {@code clpipe chaos}, {@code clpipe bench e2e},
 * {@code clpipe bench soak} and the deployment tests start their services with. Its heap is read through
 * its {@code /metrics} after a {@code jcmd GC.run}, its resident set from {@code /proc/<pid>/status}.
 * {@link #kill()} is SIGKILL (no shutdown hook, no final checkpoint or commit, no leaving the consumer
 * group); {@link #terminate(long)} and {@link #close()} are SIGTERM.
 */
public final class ServiceJvm implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final int metricsPort;
    private volatile boolean stopped;

    private ServiceJvm(String name, Process process, Path log, int metricsPort) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.metricsPort = metricsPort;
    }

    /**
     * How to start one.
     *
     * @param name    names the log file ({@code <name>.log}) and the messages
     * @param service the clpipe subcommand ({@code ingest}, {@code learner}, …)
     * @param args    its options
     */
    public static Launch launch(String name, String service, List<String> args) {
        List<String> commandLine = new ArrayList<>(List.of(service));
        commandLine.addAll(args);
        return new Launch(name, commandLine);
    }

    /** The options of a start; each is off unless asked for. */
    public static final class Launch {
        private final String name;
        private final List<String> commandLine;
        private String heap = "768m";
        private String classpath = System.getProperty("java.class.path");
        private Path directory;
        private Path log;
        private boolean fastStart;
        private boolean metricsEndpoint;
        private boolean privateTmpDir;

        private Launch(String name, List<String> commandLine) {
            this.name = name;
            this.commandLine = List.copyOf(commandLine);
        }

        /** {@code -Xmx}; 768m unless set. */
        public Launch heap(String heap) {
            this.heap = heap;
            return this;
        }

        /** The child's class path; this JVM's unless set. */
        public Launch classpath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        /** Its working directory, where its log {@code <name>.log} goes unless {@link #log(Path)} says otherwise. */
        public Launch in(Path directory) {
            this.directory = directory;
            return this;
        }

        public Launch log(Path log) {
            this.log = log;
            return this;
        }

        /** Serial GC and C1 only: a short-lived child that is killed and restarted often starts faster. */
        public Launch fastStart() {
            this.fastStart = true;
            return this;
        }

        /** {@code --metrics-bind 127.0.0.1 --metrics-port <a free port>}: {@link #scrape()}, {@link #awaitProbe}. */
        public Launch metricsEndpoint() {
            this.metricsEndpoint = true;
            return this;
        }

        /**
         * Its own {@code java.io.tmpdir} ({@code <directory>/<name>-tmp}): ingest keeps Kafka Streams' local
         * state there, which another run on this machine (another broker, another build) must not hand it.
         */
        public Launch privateTmpDir() {
            this.privateTmpDir = true;
            return this;
        }

        public ServiceJvm start() {
            if (directory == null && (log == null || privateTmpDir)) {
                throw new IllegalStateException(name + ": a log file or a working directory is required (and a directory for its own tmpdir)");
            }
            Path logFile = log != null ? log : directory.resolve(name + ".log");
            try {
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx" + heap));
                if (fastStart) {
                    command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
                }
                URL logback = ServiceJvm.class.getResource("/logback.xml");
                if (logback != null) {
                    command.add("-Dlogback.configurationFile=" + logback);
                }
                if (privateTmpDir) {
                    command.add("-Djava.io.tmpdir=" + Files.createDirectories(directory.resolve(name + "-tmp")));
                }
                command.addAll(List.of("-cp", absolute(classpath), "io.clpipe.app.Clpipe"));
                command.addAll(commandLine);
                int port = -1;
                if (metricsEndpoint) {
                    port = freePort();
                    command.addAll(List.of("--metrics-bind", "127.0.0.1", "--metrics-port", Integer.toString(port)));
                }
                Files.createDirectories(logFile.toAbsolutePath().getParent());
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
                if (directory != null) {
                    builder.directory(directory.toFile());
                }
                return new ServiceJvm(name, builder.start(), logFile, port);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
            }
        }
    }

    /** Class path entries made absolute: the service may run in a working directory of its own. */
    private static String absolute(String classpath) {
        return Arrays.stream(classpath.split(File.pathSeparator)).filter(s -> !s.isBlank())
                .map(s -> Path.of(s).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** The port of its metrics endpoint; -1 without {@link Launch#metricsEndpoint()}. */
    public int metricsPort() {
        return metricsPort;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Whether it ended without being killed or stopped by us (a crash, or a fatal error exit). */
    public boolean diedOnItsOwn() {
        return !stopped && !process.isAlive();
    }

    /** The body of {@code GET <path>} on its metrics endpoint when it answers 200; empty while it does not. */
    public Optional<String> get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + name + " for " + path, e);
        }
    }

    /** The service's metrics; empty while its endpoint is not up yet. */
    public Optional<PromText> scrape() {
        return get("/metrics").map(PromText::parse);
    }

    /** Whether the service answers its readiness probe ({@code /ready}: e.g. ingest's Streams app RUNNING). */
    public boolean ready() {
        return get("/ready").isPresent();
    }

    /** Waits until the service serves /metrics (it started and connected its registry). */
    public void awaitMetrics(Duration timeout) {
        awaitProbe("/metrics", timeout);
    }

    /**
     * Waits until {@code probe} answers 200 ({@code /health}; {@code /ready}: Streams RUNNING for ingest, loop
     * running with partitions assigned for the learner and evaluator); throws with the log's tail if the service
     * dies or the time runs out.
     */
    public void awaitProbe(String probe, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (get(probe).isEmpty()) {
            requireAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not answer " + probe + " with 200 within " + timeout + "; log " + log
                        + ":\n" + logTail(30));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
    }

    /** Asks the JVM for a full collection (jcmd GC.run), so the next heap reading is the live heap; false if jcmd failed. */
    public boolean forceGc() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Resident set size from /proc (Linux); empty elsewhere. */
    public OptionalLong rssBytes() {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** The last lines of its log, for error messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public Path log() {
        return log;
    }

    /** Its whole log; empty if there is none. */
    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** Throws, with the log's tail, if the process has ended. */
    public void requireAlive() {
        if (!process.isAlive()) {
            throw new UncheckedIOException(new IOException(name + " exited (status " + process.exitValue() + "); log "
                    + log + ":\n" + logTail(30)));
        }
    }

    /** The exit status once the process has ended by itself within {@code timeout}; empty if it still runs. */
    public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    }

    /** SIGKILL, and wait for it to be gone. */
    public void kill() {
        stopped = true;
        process.destroyForcibly();
        try {
            process.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM: the service drains, checkpoints and commits; SIGKILL if it does not stop in time. @return the exit code, -1 if killed */
    public int terminate(long timeoutSeconds) {
        stopped = true;
        process.destroy();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                return -1;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        }
    }

    /** SIGTERM, as docker stop sends; killed if it has not exited within a minute. */
    @Override
    public void close() {
        terminate(60);
    }
}
