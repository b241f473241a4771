package io.clpipe.bench.learner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch peer process ({@code bench/torch_mlp.py --serve}), started once and asked for one
 * measurement at a time over JSON lines, so its runs interleave with ND4J's without paying
 * Python's start-up for each. It idles (blocked on stdin) while ND4J runs.
 */
final class TorchPeer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final BufferedReader replies;
    private final Writer requests;
    private final Path errorLog;
    private final JsonNode hello;

    private TorchPeer(Process process, Path errorLog) throws IOException {
        this.process = process;
        this.errorLog = errorLog;
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.hello = readReply("start-up");
    }

    /**
     * Starts the peer with {@code OPENBLAS_NUM_THREADS=blasThreads}; everything else of the
     * environment is inherited (the command itself applies scripts/blas-env.sh).
     *
     * @throws TorchUnavailableException when there is no command, Python or torch
     */
    static TorchPeer start(List<String> command, int blasThreads) {
        if (command.isEmpty()) {
            throw new TorchUnavailableException("no PyTorch command configured");
        }
        Path errorLog = null;
        try {
            errorLog = Files.createTempFile("clpipe-torch-peer", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(errorLog.toFile());
            builder.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(blasThreads));
            Process process = builder.start();
            try {
                return new TorchPeer(process, errorLog);
            } catch (IOException | RuntimeException e) {
                process.destroy();
                throw e;
            }
        } catch (IOException e) {
            deleteQuietly(errorLog);
            throw new TorchUnavailableException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (TorchUnavailableException e) {
            deleteQuietly(errorLog);
            throw e;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }

    /** What the peer reported about itself: torch version, threads, BLAS libraries, environment. */
    JsonNode hello() {
        return hello;
    }

    StepTiming measure(int batch, BenchOptimizer optimizer, int warmup, int steps, long seed) {
        ObjectNode request = JSON.createObjectNode()
                .put("batch", batch).put("optimizer", optimizer.torchName())
                .put("warmup", warmup).put("steps", steps).put("seed", seed);
        JsonNode reply = ask(request);
        return new StepTiming(batch, steps, reply.path("seconds").asDouble());
    }

    double sgemmGflops(int m, int n, int k, int reps) {
        ObjectNode request = JSON.createObjectNode().put("reps", reps);
        request.putArray("sgemm").add(m).add(n).add(k);
        return ask(request).path("gflops").asDouble();
    }

    private JsonNode ask(ObjectNode request) {
        try {
            requests.write(JSON.writeValueAsString(request));
            requests.write('\n');
            requests.flush();
            return readReply(request.toString());
        } catch (IOException e) {
            throw new TorchUnavailableException("PyTorch peer stopped answering: " + e.getMessage() + errorTail(), e);
        }
    }

    private JsonNode readReply(String what) throws IOException {
        String line = replies.readLine();
        if (line == null) {
            throw new TorchUnavailableException("PyTorch peer exited during " + what + errorTail());
        }
        JsonNode reply;
        try {
            reply = JSON.readTree(line);
        } catch (IOException e) {
            throw new TorchUnavailableException("PyTorch peer said something that is not JSON: " + line, e);
        }
        if (reply.has("error")) {
            throw new TorchUnavailableException("PyTorch peer: " + reply.get("error").asText());
        }
        return reply;
    }

    private String errorTail() {
        try {
            List<String> lines = Files.readAllLines(errorLog);
            return lines.isEmpty() ? "" : " (stderr: " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())) + ")";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            requests.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        } finally {
            deleteQuietly(errorLog);
        }
    }
}
