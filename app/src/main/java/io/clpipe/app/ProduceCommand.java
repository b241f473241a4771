package io.clpipe.app;

import io.clpipe.datasets.LabeledImages;
import io.clpipe.datasets.Mnist;
import io.clpipe.ingest.produce.ProduceResult;
import io.clpipe.ingest.produce.SampleProducer;
import io.clpipe.ingest.scenario.ScenarioConfig;
import io.clpipe.ingest.scenario.Scenarios;
import io.clpipe.ingest.source.CsvSource;
import io.clpipe.ingest.source.JsonLinesSource;
import io.clpipe.ingest.source.LimitedSource;
import io.clpipe.ingest.source.MappedSource;
import io.clpipe.ingest.source.MnistSource;
import io.clpipe.ingest.source.SampleSource;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.SampleJson;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code clpipe produce}: writes a dataset's samples to {@code clpipe.samples}. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Reads samples from MNIST (IDX), a CSV file or a JSON-lines file and writes them to the samples topic,",
            "keyed by stream, in file order. Prints progress and the count acknowledged by the broker."})
final class ProduceCommand implements Callable<Integer> {

    enum Format { json, avro }

    enum MnistPart { train, test }

    static final class Input {
        @Option(names = "--mnist", paramLabel = "train|test", description = "MNIST from the data cache (scripts/fetch-data.sh mnist).")
        MnistPart mnist;

        @Option(names = "--csv", paramLabel = "FILE", description = "CSV rows label,f0,f1,... (a header row is skipped).")
        Path csv;

        @Option(names = "--jsonl", paramLabel = "FILE", description = "One JSON sample per line (docs/records.md).")
        Path jsonl;

        @Option(names = "--scenario", paramLabel = "NAME",
                description = "A benchmark in task order (split-mnist, permuted-mnist, rotated-mnist, mnist-fashion): per task its eval samples, then its training samples.")
        String scenario;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--stream", defaultValue = "default", description = "Stream id (record key) for samples that name none (default: ${DEFAULT-VALUE}).")
    String stream;

    @Option(names = "--task", description = "Task label for every sample (MNIST: overrides --tasks-of-classes).")
    String task;

    @Option(names = "--classes-per-task", defaultValue = "0",
            description = "MNIST: task = label / N as \"a-b\" classes (2 gives Split-MNIST tasks 0-1, 2-3, ...); 0 = no task.")
    int classesPerTask;

    @Option(names = "--split", description = "Force the split of every sample: train or eval (default: ingest decides by hash).")
    String split;

    @Option(names = "--label-column", defaultValue = "0", description = "CSV: index of the label column (default: ${DEFAULT-VALUE}).")
    int labelColumn;

    @Option(names = "--limit", defaultValue = "0", description = "At most this many samples (0 = all).")
    int limit;

    @Option(names = "--format", defaultValue = "json", description = "Value format on the topic: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--topic", description = "Target topic (default: <prefix>samples).")
    String topic;

    @Override
    public Integer call() throws Exception {
        String target = topic != null ? topic : Topics.withPrefix(kafka.topicPrefix).samples();
        Function<Sample, byte[]> encoder = encoder(format);
        try (SampleSource source = openSource();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties())) {
            ProgressBar bar = new ProgressBar(spec.commandLine().getOut(), "produce");
            ProduceResult result = new SampleProducer(producer, target, encoder)
                    .produce(limited(source), (sent, acked, total) -> bar.update(acked, total, ""));
            bar.finish(String.format(Locale.ROOT, "Produced %d samples (%.1f MB, %s) from %s to %s in %.1f s (%.0f samples/s)",
                    result.records(), result.bytes() / 1e6, format, source.description(), target,
                    result.elapsedNanos() / 1e9, result.recordsPerSecond()));
        }
        return 0;
    }

    static Function<Sample, byte[]> encoder(Format format) {
        if (format == Format.avro) {
            AvroSerde<Sample> serde = AvroSerde.sample();
            return serde::serialize;
        }
        return SampleJson::write;
    }

    Properties producerProperties() {
        Properties props = kafka.clientProperties();
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // Measured on the embedded broker: large batches and a short linger triple throughput.
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    SampleSource openSource() throws java.io.IOException {
        Split forced = split == null ? null : parseSplit(split);
        if (input.mnist != null) {
            Mnist mnist = Mnist.load();
            LabeledImages images = input.mnist == MnistPart.train ? mnist.train() : mnist.test();
            return new MnistSource(images, "mnist-" + input.mnist, stream, this::mnistTask, forced, limit);
        }
        if (input.scenario != null) {
            SampleSource scenario = Scenarios.fromCache().create(input.scenario, ScenarioConfig.defaults().withStream(stream)).samples();
            return limit > 0 ? new LimitedSource(scenario, limit) : scenario;
        }
        if (input.csv != null) {
            return withSplit(new CsvSource(input.csv, stream, task, labelColumn), forced);
        }
        return withSplit(new JsonLinesSource(input.jsonl, stream), forced);
    }

    private String mnistTask(int label) {
        if (task != null) {
            return task;
        }
        if (classesPerTask <= 0) {
            return null;
        }
        int first = (label / classesPerTask) * classesPerTask;
        return first + "-" + (first + classesPerTask - 1);
    }

    private static Split parseSplit(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "train" -> Split.TRAIN;
            case "eval" -> Split.EVAL;
            default -> throw new IllegalArgumentException("--split must be train or eval, got '" + value + "'");
        };
    }

    private SampleSource withSplit(SampleSource source, Split forced) {
        if (forced == null) {
            return source;
        }
        return new MappedSource(source, s -> {
            s.setSplit(forced);
            return s;
        });
    }

    private SampleSource limited(SampleSource source) {
        return limit <= 0 || source.size().isPresent() ? source : new LimitedSource(source, limit);
    }
}
