package io.clpipe.bench.learner;

import io.clpipe.broker.BrokerConfig;
import io.clpipe.broker.EmbeddedKafkaBroker;
import io.clpipe.datasets.LabeledImages;
import io.clpipe.datasets.Mnist;
import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.learner.engine.Sample;
import io.clpipe.learner.service.LearnerServiceConfig;
import io.clpipe.learner.service.ModelTemplate;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.NativeEnvironment;
import io.clpipe.schemas.EvaluationPlan;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * {@code clpipe bench pipeline}, learner part: samples/s of the learner service draining a pre-filled
 * training topic on an embedded broker, with its read-ahead thread (the default) and without it,
 * against the same engine ({@code ContinualLearner}, same config and model) fed the same samples from
 * memory in the same batches; the ratio is the cost of the pipeline (poll, decompress, Avro decode,
 * feature copy, snapshots, counters). MLP 784-…-10 on real MNIST features, one snapshot cadence per row.
 *
 * <p>Procedure: fill the topic once (Avro, lz4, as ingest writes it); one untimed
 * warm-up round; then {@code repeats} rounds, each running every cadence as a triple — service with
 * read-ahead, service without, memory — in an order rotated from round to round; ratios are paired
 * within a round. A service run starts a new service in a new
 * group with an empty checkpoint directory and is timed by its own meters from the end of its first
 * step to the end of its last (start-up excluded); a memory run is timed over the same steps. Every
 * run's final weights are compared: the two sides must have done the same work, bit for bit.
 * Nothing else should run meanwhile; the broker shares the machine with the learner.
 */
public final class PipelineBenchmark {

    private static final String STREAM = "bench";

    private final PipelineBenchConfig config;

    public PipelineBenchmark(PipelineBenchConfig config) {
        this.config = config;
    }

    public PipelineReport run(PrintStream out) {
        LabeledImages images = Mnist.load().train();
        if (images.count() < config.samples()) {
            throw new IllegalArgumentException("MNIST has " + images.count() + " training images, " + config.samples() + " asked");
        }
        out.printf(Locale.ROOT, "clpipe bench pipeline (learner): MLP %d-%s-10 on %,d MNIST training images, batch %d, %s;"
                        + " %,d samples trained per run (%d pending), timed from the end of the first step to the end of the last;"
                        + " median [min–max] of %d interleaved repeats after one warm-up round%n",
                images.dim(), join(config.hidden()), config.samples(), config.batchSize(), describe(learnerConfig()),
                config.trainedSamples(), config.samples() - config.trainedSamples(), config.repeats());
        out.println("machine: " + BenchMachine.describe());
        NativeEnvironment.blasThreads(); // loads ND4J: describe() fails when it is the first ND4J call
        out.println("ND4J: " + NativeEnvironment.describe().describe());
        Path work = tempDir();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.ephemeral())) {
            Topics topics = Topics.defaults();
            broker.createTopics(topics.specs().stream().map(TopicSpec::newTopic).toList());
            TrainTopicFill.Filled filled = TrainTopicFill.fill(broker.bootstrapServers(), topics.train(), STREAM, images,
                    config.samples());
            out.printf(Locale.ROOT, "embedded broker at %s; %s: %,d records (%,.0f B Avro each, lz4) in %.1f s%n",
                    broker.bootstrapServers(), topics.train(), filled.records(), (double) filled.avroBytes() / filled.records(),
                    filled.seconds());
            PipelineReport report = measure(broker.bootstrapServers(), topics, memorySamples(images), work, out);
            out.println("load average at end: " + BenchMachine.loadAverage());
            out.printf(Locale.ROOT, "per record, alone on one thread (after the runs, JIT warm): Avro decode + feature copy %.1f µs;"
                            + " the memory runs' median step time per sample %.1f µs%n",
                    DecodeCost.microsPerRecord(images, Math.min(config.samples(), 10_000)), 1e6 / report.rows().get(0).memory().median());
            PipelineTable.print(report, out);
            out.printf(Locale.ROOT, "%s (snapshots %s iterations; without read-ahead %.2f)%n", report.summaryLine(),
                    report.rows().get(0).cadence(), report.directRatio());
            return report;
        } finally {
            deleteQuietly(work);
        }
    }

    /** The three ways of training a round compares. */
    private enum Side { READ_AHEAD, DIRECT, MEMORY }

    private PipelineReport measure(String bootstrap, Topics topics, List<Sample> samples, Path work, PrintStream out) {
        ModelSpec spec = new ModelSpec.Mlp(samples.get(0).dim(), hidden(), 10, config.batchSize());
        Properties client = new Properties();
        client.put("bootstrap.servers", bootstrap);
        Map<Integer, Runs> runs = new LinkedHashMap<>();
        config.snapshotPeriods().forEach(p -> runs.put(p, new Runs()));
        int serial = 0;
        for (int round = -1; round < config.repeats(); round++) {
            StringBuilder line = new StringBuilder(round < 0 ? "warm-up:" : String.format(Locale.ROOT, "repeat %d/%d:", round + 1,
                    config.repeats()));
            for (int period : config.snapshotPeriods()) {
                Map<Side, TrainingRun> done = new EnumMap<>(Side.class);
                for (Side side : order(round)) {
                    done.put(side, switch (side) {
                        case MEMORY -> MemoryRun.run(spec, learnerConfig(), samples);
                        case READ_AHEAD, DIRECT -> ServiceRun.run(serviceConfig(topics, period, side,
                                work.resolve("checkpoints-" + serial), "bench-" + serial++), client, STREAM, config.trainedSamples());
                    });
                }
                double memory = done.get(Side.MEMORY).samplesPerSecond();
                line.append(String.format(Locale.ROOT, " snapshots %s: read-ahead %,.0f/s (%.2f), without %,.0f/s (%.2f), memory %,.0f/s%s;",
                        PipelineBenchConfig.describePeriod(period), done.get(Side.READ_AHEAD).samplesPerSecond(),
                        done.get(Side.READ_AHEAD).samplesPerSecond() / memory, done.get(Side.DIRECT).samplesPerSecond(),
                        done.get(Side.DIRECT).samplesPerSecond() / memory, memory,
                        done.values().stream().map(TrainingRun::weightsSha256).distinct().count() == 1 ? "" : " WEIGHTS DIFFER"));
                if (round >= 0) {
                    runs.get(period).add(done);
                }
            }
            out.println(line);
        }
        List<PipelineRow> rows = new ArrayList<>();
        runs.forEach((period, r) -> rows.add(r.row(period)));
        return new PipelineReport(rows);
    }

    /** The order of a round's runs, rotated from round to round so that no side always runs first. */
    private static List<Side> order(int round) {
        List<Side> sides = new ArrayList<>(List.of(Side.values()));
        Collections.rotate(sides, Math.floorMod(round, sides.size()));
        return sides;
    }

    private LearnerConfig learnerConfig() {
        return LearnerConfig.defaults().withSeed(config.seed()).withBatchSize(config.batchSize());
    }

    private LearnerServiceConfig serviceConfig(Topics topics, int period, Side side, Path checkpoints, String group) {
        LearnerServiceConfig c = LearnerServiceConfig.defaults(checkpoints).withTopics(topics).withGroupId(group)
                .withModels(new ModelTemplate.Mlp(hidden(), 10)).withLearner(learnerConfig())
                .withPlan(EvaluationPlan.every(period)).withPollTimeout(Duration.ofMillis(100));
        return side == Side.DIRECT ? c.withReadAhead(LearnerServiceConfig.ReadAhead.OFF) : c;
    }

    /** The samples as the service's training units hold them: the decoded features, task-free. */
    private List<Sample> memorySamples(LabeledImages images) {
        List<Sample> out = new ArrayList<>(config.samples());
        for (int i = 0; i < config.samples(); i++) {
            out.add(Sample.dense(Features.toArray(Features.of(images.image(i))), images.labels()[i], Sample.NO_TASK));
        }
        return out;
    }

    private int[] hidden() {
        return config.hidden().stream().mapToInt(Integer::intValue).toArray();
    }

    private static String join(List<Integer> widths) {
        return String.join("-", widths.stream().map(String::valueOf).toList());
    }

    private static String describe(LearnerConfig c) {
        return c.optimizer() + ", " + c.schedule() + ", no replay";
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("clpipe-bench-pipeline-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    /** One cadence's runs, by side, paired by repeat. */
    private static final class Runs {
        private final Map<Side, List<TrainingRun>> bySide = new EnumMap<>(Side.class);

        void add(Map<Side, TrainingRun> round) {
            round.forEach((side, run) -> bySide.computeIfAbsent(side, k -> new ArrayList<>()).add(run));
        }

        PipelineRow row(int period) {
            List<TrainingRun> memory = bySide.get(Side.MEMORY);
            String reference = memory.get(0).weightsSha256();
            boolean same = bySide.values().stream().flatMap(List::stream).allMatch(r -> r.weightsSha256().equals(reference));
            TrainingRun first = bySide.get(Side.READ_AHEAD).get(0);
            return new PipelineRow(period, figures(Side.READ_AHEAD), figures(Side.DIRECT),
                    Spread.of(memory.stream().map(TrainingRun::samplesPerSecond).toList()), first.snapshots(),
                    first.snapshots() == 0 ? 0 : first.snapshotBytes() / first.snapshots(), same);
        }

        private ServiceFigures figures(Side side) {
            List<TrainingRun> service = bySide.get(side);
            List<TrainingRun> memory = bySide.get(Side.MEMORY);
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < service.size(); i++) {
                ratios.add(service.get(i).samplesPerSecond() / memory.get(i).samplesPerSecond());
            }
            return new ServiceFigures(Spread.of(service.stream().map(TrainingRun::samplesPerSecond).toList()), Spread.of(ratios),
                    Spread.of(service.stream().map(r -> r.stepSeconds() / r.seconds()).toList()),
                    Spread.of(service.stream().map(r -> 1e6 * r.stepSeconds() / r.timedSamples()).toList()));
        }
    }
}
