package io.clpipe.app;

import io.clpipe.bench.evaluator.EvaluatorBenchConfig;
import io.clpipe.bench.evaluator.EvaluatorBenchmark;
import io.clpipe.bench.learner.BenchConfig;
import io.clpipe.bench.learner.LearnerBenchmark;
import io.clpipe.bench.learner.PipelineBenchConfig;
import io.clpipe.bench.learner.PipelineBenchmark;
import io.clpipe.bench.learner.TransformerBenchConfig;
import io.clpipe.bench.learner.TransformerBenchmark;
import io.clpipe.bench.ingest.IngestBenchConfig;
import io.clpipe.bench.ingest.IngestBenchmark;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code clpipe bench …}: measurements that print figures (docs/benchmarks.md records them). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: learner (ND4J step vs PyTorch), evaluator (evaluations/s), pipeline (service vs memory, ingest), transformer (hand-written vs SameDiff step), soak (memory over 1M samples), serve, e2e (producer to trained model). Figures go to stdout.",
        subcommands = {BenchCommand.Learner.class, BenchCommand.Evaluator.class, BenchCommand.Pipeline.class, BenchCommand.Soak.class,
            BenchCommand.Serve.class, BenchCommand.E2e.class, BenchCommand.Transformer.class,
            BenchCommand.SpreadScoring.class})
final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "learner", mixinStandardHelpOptions = true,
            description = {"The ND4J training step of an MLP 784-256-256-10 vs the PyTorch peer (bench/torch_mlp.py, Debian's",
                "python3-torch via scripts/install-bench-deps.sh), side by side, interleaved; prints samples/s and the ratio."})
    static final class Learner implements Callable<Integer> {

        @Option(names = "--quick", description = "Fewer steps and repeats (a smoke run; figures are noisier).")
        boolean quick;

        @Override
        public Integer call() {
            BenchConfig config = BenchConfig.defaults();
            if (quick) {
                config = config.withSteps(10, 50, 2);
            }
            new LearnerBenchmark(config).run(new PrintStream(System.out, true, StandardCharsets.UTF_8));
            return 0;
        }
    }

    @Command(name = "transformer", mixinStandardHelpOptions = true,
            description = {"One training step (forward, backward, AdamW) of the byte Transformer,",
                "hand-written (model.kind=byte-transformer) vs a SameDiff graph of the same model,",
                "interleaved; quick (width 64, context 64) and full (128, 128) at batch 20.",
                "Prints ms/step, CPU ms/step and the ratios."})
    static final class Transformer implements Callable<Integer> {

        @Option(names = "--quick", description = "One repeat with a quarter of the steps (a smoke run; figures are noisier).")
        boolean quick;

        @Option(names = "--threads", defaultValue = "1", description = "OpenBLAS threads for both implementations (default: ${DEFAULT-VALUE}).")
        int threads;

        @Override
        public Integer call() {
            TransformerBenchConfig config = TransformerBenchConfig.defaults().withBlasThreads(threads);
            if (quick) {
                config = config.shortened(1, 4);
            }
            new TransformerBenchmark(config).run(new PrintStream(System.out, true, StandardCharsets.UTF_8));
            return 0;
        }
    }

    @Command(name = "evaluator", mixinStandardHelpOptions = true,
            description = {"Evaluations/s of a 784-400-400-10 snapshot on 5 tasks x 1000 samples (decode, forward, metrics);",
                "--hidden, --tasks, --samples-per-task vary the model and the eval set (docs/capacity.md)."})
    static final class Evaluator implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--hidden", split = ",", paramLabel = "W", description = "Hidden widths of the MLP 784-…-10 (default: 400,400).")
        int[] hidden;

        @Option(names = "--tasks", description = "Tasks scored per evaluation, 1..5 (default: 5).")
        Integer tasks;

        @Option(names = "--samples-per-task", description = "Eval samples per task (default: 1000).")
        Integer samplesPerTask;

        @Option(names = "--chunks", split = ",", description = "Rows per forward chunk compared (default: 128,250,500,1000).")
        java.util.List<Integer> chunks;

        @Option(names = "--threads", split = ",", description = "OpenBLAS thread counts compared (default: 1,2).")
        java.util.List<Integer> threads;

        @Option(names = "--repeats", description = "Interleaved repeats (default: 5).")
        Integer repeats;

        @Override
        public Integer call() {
            EvaluatorBenchConfig d = EvaluatorBenchConfig.defaults();
            EvaluatorBenchConfig config = new EvaluatorBenchConfig(hidden == null ? d.hidden() : hidden,
                    tasks == null ? d.tasks() : tasks, samplesPerTask == null ? d.samplesPerTask() : samplesPerTask,
                    chunks == null ? d.chunkSizes() : chunks, threads == null ? d.blasThreads() : threads,
                    d.warmupEvaluations(), d.timedEvaluations(), repeats == null ? d.repeats() : repeats,
                    d.engineEvaluations(), d.learnerBatch(), d.learnerSteps(), d.sgemmPeakSize(), d.data(), d.seed());
            new EvaluatorBenchmark(config).run(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "pipeline", mixinStandardHelpOptions = true,
            description = {"Learner service draining a pre-filled train topic (embedded broker) vs the same learner fed from",
                "memory, as a ratio; then the ingest Streams app's records/s under exactly-once v2."})
    static final class Pipeline implements Callable<Integer> {

        @Override
        public Integer call() {
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            new PipelineBenchmark(PipelineBenchConfig.defaults()).run(out);
            new IngestBenchmark(IngestBenchConfig.defaults()).run(out);
            return 0;
        }
    }

    @Command(name = "soak", mixinStandardHelpOptions = true,
            description = {"Streams a recurring Split-MNIST sequence (default 1,000,000 training samples) through an embedded broker",
                "to the learner and the evaluator, each in its own JVM; prints their heap after GC and RSS over time and",
                "whether they stay flat from 25% to 100% of the run."})
    static final class Soak implements Callable<Integer> {

        @Option(names = "--samples", defaultValue = "1000000", description = "Training samples to stream (default: ${DEFAULT-VALUE}).")
        long samples;

        @Option(names = "--samples-per-task", defaultValue = "20000",
                description = "Training samples of a task before the next one starts; tasks recur (default: ${DEFAULT-VALUE}).")
        int samplesPerTask;

        @Option(names = "--sample-every", defaultValue = "15", description = "Seconds between readings (default: ${DEFAULT-VALUE}).")
        int sampleEverySeconds;

        @Override
        public Integer call() {
            io.clpipe.bench.soak.SoakConfig config = io.clpipe.bench.soak.SoakConfig.defaults().withSamples(samples)
                    .withSamplesPerTask(samplesPerTask).withSampleEvery(java.time.Duration.ofSeconds(sampleEverySeconds));
            new io.clpipe.bench.soak.SoakBenchmark(config).run(new PrintStream(System.out, true, StandardCharsets.UTF_8));
            return 0;
        }
    }

    @Command(name = "spread", mixinStandardHelpOptions = true,
            description = {"Evaluations/s of ONE stream, learner idle (pre-filled models topic, 784-400-400-10, 5 tasks x 1000 samples):",
                "the evaluator scoring itself (--scorers 0) or N scorer JVMs for an evaluator with scoring=spread."})
    static final class SpreadScoring implements Callable<Integer> {

        @Option(names = "--scorers", split = ",", defaultValue = "0,1,2",
                description = "Arms to run: scorer JVM counts, 0 = the evaluator scoring itself (default: ${DEFAULT-VALUE}).")
        List<Integer> scorers;

        @Option(names = "--versions", defaultValue = "240", description = "Snapshot versions per arm (default: ${DEFAULT-VALUE}).")
        int versions;

        @Override
        public Integer call() {
            new io.clpipe.bench.spread.SpreadBenchmark(versions, System.getProperty("java.class.path"))
                    .run(scorers, new PrintStream(System.out, true, StandardCharsets.UTF_8));
            return 0;
        }
    }

    @Command(name = "e2e", mixinStandardHelpOptions = true,
            description = {"The user's whole path: a KafkaProducer writes MNIST samples (JSON or Avro) as fast as it can; ingest, learner",
                "and evaluator each in their own JVM on one embedded broker. Prints ingest records/s, learner samples/s, e2e samples/s",
                "(first produced -> last trained), evaluator lag, and e2e / the learner service alone (same run)."})
    static final class E2e implements Callable<Integer> {

        @Option(names = "--samples", defaultValue = "60000", description = "MNIST training images to produce (default: ${DEFAULT-VALUE}).")
        int samples;

        @Option(names = "--format", defaultValue = "json",
                description = "Value format the producer writes: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        io.clpipe.bench.e2e.E2eConfig.Format format;

        @Option(names = "--ingest-kafka-config", paramLabel = "FILE",
                description = "Passed to the ingest JVM as --kafka-config: Streams settings to measure (e.g. commit.interval.ms).")
        java.nio.file.Path ingestKafkaConfig;

        @Override
        public Integer call() {
            io.clpipe.bench.e2e.E2eConfig config = io.clpipe.bench.e2e.E2eConfig.defaults().withSamples(samples).withFormat(format)
                    .withIngestKafkaConfig(ingestKafkaConfig);
            new io.clpipe.bench.e2e.E2eBenchmark(config).run(new PrintStream(System.out, true, StandardCharsets.UTF_8));
            return 0;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"clpipe serve answering a steady request rate while the learner trains (embedded broker, one JVM):",
                "predictions/s and client latency p50/p99 (request sent to prediction read, read_committed)."})
    static final class Serve implements Callable<Integer> {

        @Option(names = "--rate", defaultValue = "200", description = "Requests per second (default: ${DEFAULT-VALUE}).")
        int rate;

        @Option(names = "--seconds", defaultValue = "30", description = "How long requests are sent (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--train-rate", defaultValue = "5000", description = "Training samples per second fed to the learner (default: ${DEFAULT-VALUE}).")
        int trainRate;

        @Override
        public Integer call() throws Exception {
            new io.clpipe.bench.serve.ServeBenchmark(rate, seconds, trainRate).run(new PrintStream(System.out, true, StandardCharsets.UTF_8));
            return 0;
        }
    }
}
