package io.clpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.broker.TopicCreation;
import io.clpipe.evaluator.service.EvaluatorService;
import io.clpipe.evaluator.service.EvaluatorServiceConfig;
import io.clpipe.ingest.routing.Routing;
import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.ingest.routing.SampleRouter;
import io.clpipe.ingest.routing.StreamState;
import io.clpipe.ingest.scenario.ScenarioConfig;
import io.clpipe.ingest.scenario.Scenarios;
import io.clpipe.ingest.service.IngestService;
import io.clpipe.ingest.source.SampleSource;
import io.clpipe.learner.service.LearnerService;
import io.clpipe.learner.service.LearnerServiceConfig;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.RawRecord;
import io.clpipe.schemas.SampleJson;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.ValidationConfig;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task-free Permuted-MNIST stream (3 permutations, no task field at all) through ingest, learner and
 * evaluator on a real broker: ingest's feature detectors cut it into segments and publish DRIFT_DETECTED
 * events at exactly the samples its routing code picks offline, the learner re-warms at each segment
 * change it trains through, and the evaluator scores every segment and reports the stability gap of the
 * old ones. Waits are on conditions only.
 */
class DriftPipelineIT {

    private static final String STREAM = "drift";
    private static final int TASKS = 3;
    private static final int TRAIN_PER_TASK = 1200;
    private static final int EVAL_PER_TASK = 200;

    @TempDir
    Path tmp;

    @Test
    void aTaskFreePermutedStreamGetsBoundariesReWarmsAndStabilityGaps() throws Exception {
        ScenarioConfig scenario = new ScenarioConfig(STREAM, TASKS, EVAL_PER_TASK, 1, TRAIN_PER_TASK, 7);
        List<byte[]> values = new ArrayList<>();
        List<Long> switches = new ArrayList<>();
        String previous = null;
        try (SampleSource source = Scenarios.fromCache().create(Scenarios.PERMUTED_MNIST, scenario).samples()) {
            while (source.hasNext()) {
                Sample s = source.next();
                if (previous != null && !previous.equals(s.getTask())) {
                    switches.add((long) values.size());
                }
                previous = s.getTask();
                s.setTask(null);
                values.add(SampleJson.write(s));
            }
        }
        assertThat(values.get(0)).asString().doesNotContain("\"task\"");
        RoutingConfig routing = RoutingConfig.defaults().withEvalPerMille(0).withDriftDetection(true)
                .withValidation(ValidationConfig.defaults().withFeatureDim(STREAM, 784).withNumClasses(10));
        Offline expected = offline(values, routing);
        // the detectors find both switches, soon (the pipeline must then reproduce exactly these positions)
        assertThat(expected.driftPositions()).hasSizeGreaterThanOrEqualTo(TASKS - 1);
        for (long at : switches) {
            assertThat(expected.driftPositions()).as("a detection within 200 samples of the switch at %d", at)
                    .anySatisfy(p -> assertThat(p).isBetween(at, at + 200));
        }

        Topics topics = Topics.defaults();
        try (TestKafkaCluster kafka = KafkaClusters.start()) {
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
                TopicCreation.create(admin, topics.specs().stream().map(TopicSpec::newTopic).toList());
            }
            Properties client = new Properties();
            client.put("bootstrap.servers", kafka.bootstrapServers());
            Properties ingestClient = new Properties();
            ingestClient.putAll(client);
            ingestClient.put("state.dir", tmp.resolve("streams").toString());
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Properties learnerProps = new Properties();
            learnerProps.setProperty("model.hidden", "64");
            learnerProps.setProperty("batch.size", "32");
            learnerProps.setProperty("lr", "0.05");
            learnerProps.setProperty("replay.policy", "class-balanced");
            learnerProps.setProperty("eval.period", "1"); // every version is scored, the final one included
            learnerProps.setProperty("eval.dense.window", "10");
            learnerProps.setProperty("checkpoint.dir", tmp.resolve("ckpt").toString());
            Properties evalProps = new Properties();
            evalProps.setProperty("state.dir", tmp.resolve("eval").toString());
            evalProps.setProperty("eval.set.size", Integer.toString(EVAL_PER_TASK));
            try (IngestService ingest = new IngestService(topics, routing, ingestClient, registry);
                 LearnerService learner = new LearnerService(LearnerServiceConfig.fromProperties(learnerProps), client, registry);
                 EvaluatorService evaluator = new EvaluatorService(EvaluatorServiceConfig.fromProperties(evalProps), client, registry)) {
                ingest.start();
                learner.start();
                evaluator.start();
                assertThat(ingest.awaitReady(Duration.ofSeconds(60))).isTrue();
                try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
                    for (byte[] v : values) {
                        producer.send(new ProducerRecord<>(topics.samples(), STREAM, v));
                    }
                    producer.flush();
                }

                List<ControlEvent> drifts = new ArrayList<>();
                List<String> trainTasks = new ArrayList<>();
                List<IterationMetrics> metrics = new ArrayList<>();
                AvroSerde<ControlEvent> controls = AvroSerde.controlEvent();
                AvroSerde<Sample> samples = AvroSerde.sample();
                try (KafkaConsumer<String, byte[]> consumer = consumer(kafka.bootstrapServers())) {
                    consumer.subscribe(List.of(topics.control(), topics.train(), topics.metrics()));
                    long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
                    while (!(trainTasks.size() == expected.trainTasks().size() && drifts.size() == expected.driftReasons().size()
                            && boundaries(registry) >= expected.trainTaskChanges() && hasGapsOfEveryOldSegment(metrics, expected)
                            && finalVersionScored(registry, metrics, expected.trainTasks().size()))) {
                        assertThat(System.nanoTime()).as("pipeline finished in time: %d train, %d drifts, %.0f boundaries, %d metrics",
                                trainTasks.size(), drifts.size(), boundaries(registry), metrics.size()).isLessThan(deadline);
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                            if (r.topic().equals(topics.control())) {
                                ControlEvent e = controls.deserialize(r.value());
                                if (e.getType() == ControlType.DRIFT_DETECTED) {
                                    drifts.add(e);
                                }
                            } else if (r.topic().equals(topics.train())) {
                                trainTasks.add(samples.deserialize(r.value()).getTask());
                            } else {
                                metrics.add(MetricsJson.parse(r.value()));
                            }
                        }
                        assertThat(learner.failure()).isEmpty();
                        assertThat(evaluator.failure()).isEmpty();
                    }
                }
                // ingest in the pipeline cut the stream where its routing code does offline, and labelled it the same way
                assertThat(drifts).extracting(ControlEvent::getReason).containsExactlyElementsOf(expected.driftReasons());
                assertThat(drifts).allSatisfy(e -> assertThat(e.getSource()).isEqualTo("ingest"));
                assertThat(trainTasks).isEqualTo(expected.trainTasks());
                // one re-warm per segment change among the training samples, none more
                assertThat(boundaries(registry)).isEqualTo((double) expected.trainTaskChanges());
                IterationMetrics last = metrics.get(metrics.size() - 1);
                assertThat(last.getTasks().keySet()).containsAll(expected.segmentsWithEval());
                assertThat(last.getTasks().get(expected.trainTasks().get(expected.trainTasks().size() - 1)).getAccuracy())
                        .as("learned the last permutation").isGreaterThan(0.5);
            }
        }
    }

    /** What ingest's routing code decides for the stream, without Kafka. */
    private record Offline(List<Long> driftPositions, List<String> driftReasons, List<String> trainTasks, Set<String> segmentsWithEval) {
        long trainTaskChanges() {
            long n = 0;
            for (int i = 1; i < trainTasks.size(); i++) {
                n += trainTasks.get(i).equals(trainTasks.get(i - 1)) ? 0 : 1;
            }
            return n;
        }
    }

    private static Offline offline(List<byte[]> values, RoutingConfig routing) {
        SampleRouter router = new SampleRouter(routing);
        StreamState state = StreamState.NEW;
        List<Long> positions = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        List<String> train = new ArrayList<>();
        Set<String> withEval = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            Routing.Accepted a = (Routing.Accepted) router.route(new RawRecord("offline", 0, i, STREAM, values.get(i)), state, 0);
            for (ControlEvent e : a.events()) {
                if (e.getType() == ControlType.DRIFT_DETECTED) {
                    positions.add((long) i);
                    reasons.add(e.getReason());
                }
            }
            if (a.eval()) {
                withEval.add(a.sample().getTask());
            } else {
                train.add(a.sample().getTask());
            }
            state = a.state();
        }
        return new Offline(positions, reasons, train, withEval);
    }

    /**
     * Every training sample is trained (an idle tail by the linger) and the model after the last step is scored:
     * the last record then describes the final model, however fast each service got there.
     */
    private static boolean finalVersionScored(SimpleMeterRegistry registry, List<IterationMetrics> metrics, int trainSamples) {
        double trained = registry.find("clpipe.learner.samples").counters().stream().mapToDouble(Counter::count).sum();
        if (trained < trainSamples || metrics.isEmpty()) {
            return false;
        }
        double iteration = registry.find("clpipe.learner.iteration").gauges().stream().mapToDouble(g -> g.value()).max().orElse(-1);
        return metrics.get(metrics.size() - 1).getIteration() == (long) iteration;
    }

    private static double boundaries(SimpleMeterRegistry registry) {
        return registry.find("clpipe.learner.boundaries").counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Some metrics record reports a finite stability-gap depth for every segment that was followed by a trained one. */
    private static boolean hasGapsOfEveryOldSegment(List<IterationMetrics> metrics, Offline expected) {
        Set<String> trained = new LinkedHashSet<>(expected.trainTasks());
        List<String> old = new ArrayList<>(trained).subList(0, trained.size() - 1);
        Set<String> seen = new LinkedHashSet<>();
        for (IterationMetrics m : metrics) {
            m.getAggregates().forEach((k, v) -> {
                if (k.startsWith("gap_depth.") && Double.isFinite(v)) {
                    seen.add(k.substring("gap_depth.".length()));
                }
            });
        }
        return seen.containsAll(old.stream().filter(expected.segmentsWithEval()::contains).toList());
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props);
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "drift-pipeline-it");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }
}
