package io.clpipe.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One clpipe service in a JVM of its own ({@code java -cp … io.clpipe.app.Clpipe learner …}), so its
 * heap and resident set can be read apart from everything else: heap through its {@code /metrics}
 * after a {@code jcmd GC.run}, RSS from {@code /proc/<pid>/status}. Also what {@code clpipe bench e2e} starts its
 * services with.
 */
public final class ServiceJvm implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final int metricsPort;

    private ServiceJvm(String name, Process process, Path log, int metricsPort) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.metricsPort = metricsPort;
    }

    public static ServiceJvm start(String service, Path dir, String heap, String classpath, List<String> args) throws IOException {
        return start(service, service, dir, heap, classpath, args);
    }

    /** @param name names the log file ({@code <name>.log}) and the messages; {@code service} is the clpipe command */
    public static ServiceJvm start(String name, String service, Path dir, String heap, String classpath, List<String> args)
            throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", absolute(classpath), "io.clpipe.app.Clpipe", service));
        command.addAll(args);
        command.addAll(List.of("--metrics-bind", "127.0.0.1", "--metrics-port", Integer.toString(port)));
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new ServiceJvm(name, process, log, port);
    }

    /** Class path entries made absolute: the service runs in its own working directory. */
    private static String absolute(String classpath) {
        return Arrays.stream(classpath.split(File.pathSeparator)).filter(s -> !s.isBlank())
                .map(s -> Path.of(s).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The service's metrics; empty while its endpoint is not up yet. */
    public java.util.Optional<PromText> scrape() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? java.util.Optional.of(PromText.parse(r.body())) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scraping " + name, e);
        }
    }

    /** Waits until the service serves /metrics (it started and connected its registry). */
    public void awaitMetrics(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (scrape().isEmpty()) {
            requireAlive(this);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not serve /metrics within " + timeout + "; log " + log + ":\n" + logTail(30));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
    }

    /** Whether the service answers its readiness probe ({@code /ready}: e.g. ingest's Streams app RUNNING). */
    public boolean ready() {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/ready"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing " + name, e);
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

    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public Path log() {
        return log;
    }

    /** SIGTERM: the service drains, checkpoints and commits; killed if it has not exited within a minute. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    public static void requireAlive(ServiceJvm jvm) {
        if (!jvm.alive()) {
            throw new UncheckedIOException(new IOException(jvm.name + " exited (status " + jvm.process.exitValue() + "); log "
                    + jvm.log + ":\n" + jvm.logTail(30)));
        }
    }
}
