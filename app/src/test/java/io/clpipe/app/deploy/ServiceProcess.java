package io.clpipe.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code clpipe} service in its own JVM, started the way a container starts it: the real main
 * class and command line, {@code --metrics-port}, a log file; stopped with SIGTERM.
 */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final int metricsPort;

    private ServiceProcess(String name, Process process, Path log, int metricsPort) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.metricsPort = metricsPort;
    }

    static ServiceProcess start(String service, Path dir, List<String> args) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", System.getProperty("java.class.path")));
        URL logback = ServiceProcess.class.getResource("/logback.xml"); // the command's own, not logback-test.xml
        if (logback != null) {
            command.add(2, "-Dlogback.configurationFile=" + logback);
        }
        // Its own temp dir: ingest keeps Kafka Streams' local state under java.io.tmpdir, which another
        // test run on this machine (another broker, another build) must not hand it.
        Path tmp = Files.createDirectories(dir.resolve(service + "-tmp"));
        command.add(2, "-Djava.io.tmpdir=" + tmp);
        command.addAll(List.of("io.clpipe.app.Clpipe", service));
        command.addAll(args);
        command.addAll(List.of("--metrics-bind", "127.0.0.1", "--metrics-port", Integer.toString(port)));
        Path log = dir.resolve(service + ".log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new ServiceProcess(service, process, log, port);
    }

    String name() {
        return name;
    }

    int metricsPort() {
        return metricsPort;
    }

    void awaitHealthy(Duration timeout) throws InterruptedException {
        await("/health", timeout);
    }

    /** Until /ready answers 200: Streams RUNNING (ingest), loop running with partitions assigned (learner, evaluator). */
    void awaitReady(Duration timeout) throws InterruptedException {
        await("/ready", timeout);
    }

    private void await(String probe, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            assertAlive();
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + probe))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertThat(System.nanoTime()).as("%s answers %s with 200 within %s; log:%n%s", name, probe, timeout, logTail()).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    Scrape scrape() {
        assertAlive();
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("%s /metrics", name).isEqualTo(200);
            return Scrape.parse(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(name + " /metrics: " + e.getMessage() + "\n" + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The exit status once the process has ended by itself within {@code timeout}; empty if it still runs. */
    java.util.OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? java.util.OptionalInt.of(process.exitValue())
                : java.util.OptionalInt.empty();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    void assertAlive() {
        assertThat(process.isAlive()).as("%s is running; log:%n%s", name, logTail()).isTrue();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, as docker stop sends: the service drains, checkpoints and commits. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
