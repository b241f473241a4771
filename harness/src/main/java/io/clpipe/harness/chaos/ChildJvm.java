package io.clpipe.harness.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code clpipe} service in its own JVM (the real main class and command line, the class path of
 * this JVM: the shaded jar, or the test class path), its output in a log file. {@link #kill()} is
 * SIGKILL: no shutdown hook, no final checkpoint or commit, no leaving the consumer group.
 */
final class ChildJvm {

    private final String name;
    private final Process process;
    private final Path log;
    private volatile boolean killed;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code io.clpipe.app.Clpipe args…}; {@code log} receives stdout and stderr. */
    static ChildJvm start(String name, List<String> args, String heap, Path log) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.clpipe.app.Clpipe"));
        java.net.URL logback = ChildJvm.class.getResource("/logback.xml"); // the command's own, not a test's logback-test.xml
        if (logback != null) {
            command.add(2, "-Dlogback.configurationFile=" + logback);
        }
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new ChildJvm(name, p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Whether it ended without being killed or stopped by us (a crash, or a fatal error exit). */
    boolean diedOnItsOwn() {
        return !killed && !process.isAlive();
    }

    /** SIGKILL, and wait for it to be gone. */
    void kill() {
        killed = true;
        process.destroyForcibly();
        try {
            process.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM: the service drains, checkpoints and commits; SIGKILL if it does not stop in time. @return the exit code */
    int terminate(long timeoutSeconds) {
        killed = true;
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

    /** The last lines of its log, for error messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }
}
