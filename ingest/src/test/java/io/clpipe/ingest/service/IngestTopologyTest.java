package io.clpipe.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.ingest.routing.TextChunker;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.DlqHeaders;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.SampleJson;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.ValidationConfig;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IngestTopologyTest {

    private static final long NOW = 1_700_000_000_000L;
    private final Topics topics = Topics.defaults();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AvroSerde<Sample> samples = AvroSerde.sample();
    private final AvroSerde<ControlEvent> controls = AvroSerde.controlEvent();
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> in;
    private TestOutputTopic<String, byte[]> train;
    private TestOutputTopic<String, byte[]> eval;
    private TestOutputTopic<String, byte[]> dlq;
    private TestOutputTopic<String, byte[]> control;

    @BeforeEach
    void setUp() {
        start(RoutingConfig.defaults().withValidation(ValidationConfig.defaults().withNumClasses(10)).withEvalPerMille(0));
    }

    private void start(RoutingConfig config) {
        if (driver != null) {
            driver.close();
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()); // not the shared /tmp/kafka-streams: parallel builds
        driver = new TopologyTestDriver(IngestTopology.build(topics, config, new IngestMetrics(registry),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)), props);
        in = driver.createInputTopic(topics.samples(), new StringSerializer(), new ByteArraySerializer());
        train = driver.createOutputTopic(topics.train(), new StringDeserializer(), new ByteArrayDeserializer());
        eval = driver.createOutputTopic(topics.eval(), new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(topics.dlq(), new StringDeserializer(), new ByteArrayDeserializer());
        control = driver.createOutputTopic(topics.control(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void validJsonBecomesAvroOnTrainWithIngestTimeAndDerivedId() {
        in.pipeInput("s1", json("{\"stream\":\"s1\",\"task\":\"a\",\"features\":[0.5,1.5],\"label\":3}"));
        TestRecord<String, byte[]> out = train.readRecord();
        Sample sample = samples.deserialize(out.value());
        assertThat(out.key()).isEqualTo("s1");
        assertThat(sample.getStream()).isEqualTo("s1");
        assertThat(sample.getTask()).isEqualTo("a");
        assertThat(Features.toArray(sample.getFeatures())).containsExactly(0.5f, 1.5f);
        assertThat(sample.getLabel()).isEqualTo(3);
        assertThat(sample.getIngestTime()).isEqualTo(NOW);
        assertThat(sample.getSampleId()).isEqualTo(topics.samples() + ":0:0");
        assertThat(eval.isEmpty()).isTrue();
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(registry.get("clpipe.ingest.records").tag("outcome", "train").counter().count()).isEqualTo(1);
    }

    @Test
    void badRecordsGoToTheDlqWithOriginalBytesAndReasonHeaders() {
        byte[] bad = json("{\"stream\":\"s1\",\"features\":[1.0,NaN],\"label\":1}");
        in.pipeInput(new TestRecord<>("s1", bad, new org.apache.kafka.common.header.internals.RecordHeaders(
                new org.apache.kafka.common.header.Header[] {
                    new org.apache.kafka.common.header.internals.RecordHeader("trace-id", json("abc"))})));
        byte[] garbage = {(byte) 0xff, 0x00, 0x13};
        in.pipeInput("s1", garbage);
        TestRecord<String, byte[]> first = dlq.readRecord();
        assertThat(first.value()).isEqualTo(bad);
        Headers h = first.headers();
        assertThat(header(h, DlqHeaders.REASON_CODE)).isEqualTo("NON_FINITE_FEATURE");
        assertThat(header(h, DlqHeaders.SOURCE_TOPIC)).isEqualTo(topics.samples());
        assertThat(header(h, DlqHeaders.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(header(h, "trace-id")).isEqualTo("abc");
        TestRecord<String, byte[]> second = dlq.readRecord();
        assertThat(second.value()).isEqualTo(garbage);
        assertThat(header(second.headers(), DlqHeaders.REASON_CODE)).isEqualTo("UNPARSABLE");
        assertThat(header(second.headers(), DlqHeaders.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(train.isEmpty()).isTrue();
        assertThat(registry.get("clpipe.ingest.rejected").tag("reason", "non_finite_feature").counter().count()).isEqualTo(1);
    }

    @Test
    void theFirstSampleFixesTheStreamDimensionInTheStateStore() {
        in.pipeInput("s1", json("{\"features\":[1,2,3],\"label\":0}"));
        in.pipeInput("s1", json("{\"features\":[1,2],\"label\":0}"));
        in.pipeInput("s2", json("{\"features\":[1,2],\"label\":0}"));
        assertThat(train.readValuesToList()).hasSize(2);
        assertThat(header(dlq.readRecord().headers(), DlqHeaders.REASON_CODE)).isEqualTo("WRONG_DIMENSION");
    }

    @Test
    void unkeyedRecordsAreReKeyedByTheirStreamFieldSoTheirStateIsTheStreams() {
        in.pipeInput((String) null, json("{\"stream\":\"s\",\"task\":\"t1\",\"features\":[1,2,3],\"label\":0}"));
        in.pipeInput((String) null, json("{\"stream\":\"s\",\"task\":\"t1\",\"features\":[1,2],\"label\":0}"));
        in.pipeInput("", json("{\"stream\":\"s\",\"task\":\"t1\",\"features\":[4,5,6],\"label\":1}"));
        in.pipeInput("s", json("{\"task\":\"t1\",\"features\":[7,8,9],\"label\":1}"));
        in.pipeInput((String) null, json("{\"stream\":\"s\",\"task\":\"t2\",\"features\":[1,1,1],\"label\":2}"));
        in.pipeInput((String) null, json("{\"stream\":\"s\",\"task\":\"t2\",\"features\":[1,1,1],\"label\":3}"));

        List<TestRecord<String, byte[]>> trained = train.readRecordsToList();
        assertThat(trained).extracting(TestRecord::key).containsOnly("s");
        assertThat(trained).hasSize(5);
        TestRecord<String, byte[]> rejected = dlq.readRecord();
        assertThat(header(rejected.headers(), DlqHeaders.REASON_CODE)).as("the dimension is the stream's").isEqualTo("WRONG_DIMENSION");
        // the DLQ names where the user produced the record, not the repartition topic it went through
        assertThat(header(rejected.headers(), DlqHeaders.SOURCE_TOPIC)).isEqualTo(topics.samples());
        assertThat(header(rejected.headers(), DlqHeaders.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(rejected.headers().lastHeader(StreamKeyer.SOURCE_TOPIC)).as("internal headers are stripped").isNull();
        assertThat(rejected.key()).as("the DLQ keeps the original key").isNull();
        List<ControlEvent> events = control.readValuesToList().stream().map(controls::deserialize).toList();
        assertThat(events).extracting(ControlEvent::getTask).as("one boundary per task change, not per sample").containsExactly("t1", "t2");
        // a derived sample id is the user's record's coordinates, so the eval split does not depend on the re-keying
        assertThat(samples.deserialize(trained.get(0).value()).getSampleId()).isEqualTo(topics.samples() + ":0:0");
        assertThat(samples.deserialize(trained.get(1).value()).getSampleId()).isEqualTo(topics.samples() + ":0:2");
    }

    @Test
    void anUnkeyedRecordWithoutAStreamAndAKeyThatContradictsTheStreamGoToTheDlq() {
        in.pipeInput((String) null, json("{\"features\":[1],\"label\":0}"));
        in.pipeInput((String) null, json("{\"stream\":\"s\",\"features\":[1],\"label\":0"));
        in.pipeInput("other", json("{\"stream\":\"s\",\"features\":[1],\"label\":0}"));
        assertThat(dlq.readRecordsToList()).extracting(r -> header(r.headers(), DlqHeaders.REASON_CODE))
                .containsExactly("MISSING_FIELD", "UNPARSABLE", "KEY_MISMATCH");
        assertThat(train.isEmpty()).isTrue();
    }

    @Test
    void aUserTaskStartLabelsTheStreamsLaterTasklessSamplesAtItsExactPosition() {
        String sample = "{\"stream\":\"s\",\"features\":[1],\"label\":0%s}";
        for (int i = 0; i < 3; i++) {
            in.pipeInput((String) null, json(sample.formatted("")));
        }
        in.pipeInput((String) null, json("{\"stream\":\"s\",\"control\":\"task-start\",\"task\":\"b\",\"reason\":\"new supplier\"}"));
        in.pipeInput((String) null, json(sample.formatted("")));
        in.pipeInput((String) null, json(sample.formatted(",\"split\":\"eval\"")));
        in.pipeInput("s", json(sample.formatted(",\"split\":\"eval\",\"task\":\"x\"")));
        in.pipeInput("s", json(sample.formatted("")));
        in.pipeInput("s", json("{\"control\":\"task-start\"}"));
        in.pipeInput("s", json(sample.formatted("")));
        in.pipeInput("s", json("{\"control\":\"task-start\",\"task\":\"segment-2\"}")); // names the current task: no-op
        in.pipeInput("s", json(sample.formatted("")));
        in.pipeInput("s", json("{\"control\":\"task-start\"}"));
        in.pipeInput("s", json(sample.formatted("")));

        assertThat(train.readValuesToList().stream().map(v -> samples.deserialize(v).getTask()).toList())
                .containsExactly(null, null, null, "b", "b", "segment-2", "segment-2", "segment-3");
        assertThat(eval.readValuesToList().stream().map(v -> samples.deserialize(v).getTask()).toList())
                .as("eval samples are labelled too; a sample's own task wins").containsExactly("b", "x");
        List<ControlEvent> events = control.readValuesToList().stream().map(controls::deserialize).toList();
        assertThat(events).extracting(ControlEvent::getType).containsOnly(ControlType.TASK_START);
        assertThat(events).extracting(ControlEvent::getTask).containsExactly("b", "segment-2", "segment-3");
        assertThat(events).extracting(ControlEvent::getPreviousTask).containsExactly(null, "b", "segment-2");
        assertThat(events).extracting(ControlEvent::getSource).containsOnly("user");
        assertThat(events.get(0).getReason()).isEqualTo("new supplier");
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void controlRecordsThatAreWrongGoToTheDlqWithAReason() {
        in.pipeInput("s", json("{\"control\":\"anneal\"}"));
        in.pipeInput("s", json("{\"control\":\"restart\"}"));
        in.pipeInput("s", json("{\"control\":\"task-start\",\"features\":[1],\"label\":0}"));
        in.pipeInput("k", json("{\"stream\":\"s\",\"control\":\"task-start\"}"));
        in.pipeInput("s", json("{\"control\":\"task-start\",\"task\":[1]}"));
        assertThat(dlq.readRecordsToList()).extracting(r -> header(r.headers(), DlqHeaders.REASON_CODE))
                .containsExactly("BAD_CONTROL", "BAD_CONTROL", "BAD_CONTROL", "KEY_MISMATCH", "WRONG_TYPE");
        assertThat(control.isEmpty()).isTrue();
    }

    @Test
    void explicitSplitWinsAndHashSplitIsDeterministic() {
        in.pipeInput("s", json("{\"features\":[1],\"label\":0,\"split\":\"eval\"}"));
        assertThat(eval.readValuesToList()).hasSize(1);
        start(RoutingConfig.defaults().withEvalPerMille(300));
        int evalCount = 0;
        for (int i = 0; i < 2000; i++) {
            in.pipeInput("s", json("{\"features\":[1],\"label\":0,\"sample_id\":\"id-" + i + "\"}"));
        }
        List<byte[]> evals = eval.readValuesToList();
        evalCount = evals.size();
        assertThat(evalCount + train.readValuesToList().size()).isEqualTo(2000);
        assertThat(evalCount).isBetween(500, 700); // 30% ± a binomial margin
        // Same ids, same split: replaying gives the same eval set.
        start(RoutingConfig.defaults().withEvalPerMille(300));
        for (int i = 0; i < 2000; i++) {
            in.pipeInput("s", json("{\"features\":[1],\"label\":0,\"sample_id\":\"id-" + i + "\"}"));
        }
        assertThat(eval.readValuesToList()).hasSize(evalCount);
    }

    @Test
    void aTaskChangeEmitsOneBoundaryEventPerChange() {
        in.pipeInput("s", json("{\"task\":\"t1\",\"features\":[1],\"label\":0}"));
        in.pipeInput("s", json("{\"task\":\"t1\",\"features\":[1],\"label\":1}"));
        in.pipeInput("s", json("{\"task\":\"t2\",\"features\":[1],\"label\":2,\"split\":\"eval\"}")); // eval samples don't switch
        in.pipeInput("s", json("{\"task\":\"t2\",\"features\":[1],\"label\":2}"));
        in.pipeInput("s", json("{\"task\":\"t2\",\"features\":[1],\"label\":3}"));
        List<ControlEvent> events = control.readValuesToList().stream().map(controls::deserialize).toList();
        assertThat(events).extracting(ControlEvent::getType).containsExactly(ControlType.TASK_START, ControlType.TASK_START);
        assertThat(events).extracting(ControlEvent::getTask).containsExactly("t1", "t2");
        assertThat(events.get(1).getPreviousTask()).isEqualTo("t1");
    }

    @Test
    void taskFreeStreamsWithDriftDetectionGetSegmentTasksAndDriftEvents() {
        start(RoutingConfig.defaults().withEvalPerMille(0).withDriftDetection(true));
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int i = 0; i < 3000; i++) {
            in.pipeInput("s", json("{\"features\":[1],\"label\":" + random.nextInt(2) + "}"));
        }
        for (int i = 0; i < 3000; i++) {
            in.pipeInput("s", json("{\"features\":[1],\"label\":" + (2 + random.nextInt(2)) + "}"));
        }
        List<Sample> out = train.readValuesToList().stream().map(samples::deserialize).toList();
        assertThat(out.get(0).getTask()).isEqualTo("segment-0");
        assertThat(out.get(out.size() - 1).getTask()).isEqualTo("segment-1");
        List<ControlEvent> events = control.readValuesToList().stream().map(controls::deserialize).toList();
        assertThat(events).extracting(ControlEvent::getType).contains(ControlType.DRIFT_DETECTED);
        long driftEvents = events.stream().filter(e -> e.getType() == ControlType.DRIFT_DETECTED).count();
        assertThat(driftEvents).isEqualTo(1);
        int switchAt = -1;
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).getTask().equals("segment-1")) {
                switchAt = i;
                break;
            }
        }
        assertThat(switchAt).isBetween(3000, 3200);
    }

    /**
     * Task-free Permuted inputs (no task field, labels uniform in every task): only the feature projections
     * can see the switches. Train and eval samples go through the same detectors in stream order, and every
     * sample from the detecting one on carries the new segment, eval samples included.
     */
    @Test
    void taskFreeCovariateShiftLabelsTrainAndEvalSamplesWithSegments() {
        start(RoutingConfig.defaults().withEvalPerMille(0).withDriftDetection(true));
        java.util.SplittableRandom random = new java.util.SplittableRandom(4);
        int perTask = 2000;
        List<String> splits = new java.util.ArrayList<>();
        for (int task = 0; task < 3; task++) {
            int[] permutation = permutation(task, 32);
            for (int i = 0; i < perTask; i++) {
                String split = random.nextInt(5) == 0 ? "eval" : "train";
                splits.add(split);
                StringBuilder features = new StringBuilder();
                for (int d = 0; d < 32; d++) {
                    int p = permutation[d];
                    double centre = 1 - Math.abs(p - 16) / 16.0;
                    features.append(d == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "%.3f",
                            Math.max(0, centre + random.nextGaussian() * 0.2)));
                }
                in.pipeInput("s", json("{\"features\":[" + features + "],\"label\":" + random.nextInt(10) + ",\"split\":\"" + split
                        + "\",\"sampleId\":\"" + task + "-" + i + "\"}"));
            }
        }
        java.util.Iterator<Sample> trainOut = train.readValuesToList().stream().map(samples::deserialize).iterator();
        java.util.Iterator<Sample> evalOut = eval.readValuesToList().stream().map(samples::deserialize).iterator();
        List<String> tasks = new java.util.ArrayList<>();
        for (String split : splits) { // back in stream order
            tasks.add((split.equals("eval") ? evalOut : trainOut).next().getTask());
        }
        List<ControlEvent> drifts = control.readValuesToList().stream().map(controls::deserialize)
                .filter(e -> e.getType() == ControlType.DRIFT_DETECTED).toList();
        assertThat(drifts).extracting(ControlEvent::getTask).containsExactly("segment-1", "segment-2");
        assertThat(drifts.get(0).getReason()).contains("feature projection");
        int first = tasks.indexOf("segment-1");
        int second = tasks.indexOf("segment-2");
        assertThat(first).isBetween(perTask, perTask + 200);
        assertThat(second).isBetween(2 * perTask, 2 * perTask + 200);
        // contiguous segments: nothing before a detection is relabelled, nothing after it keeps the old name
        assertThat(tasks.subList(0, first)).containsOnly("segment-0");
        assertThat(tasks.subList(first, second)).containsOnly("segment-1");
        assertThat(tasks.subList(second, tasks.size())).containsOnly("segment-2");
        assertThat(splits.subList(first, second)).contains("eval", "train");
    }

    private static int[] permutation(long seed, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = n - 1; seed > 0 && i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    @Test
    void avroInputIsAcceptedToo() {
        Sample s = Sample.newBuilder().setStream("s").setFeatures(Features.of(1f, 2f)).setLabel(1)
                .setSplit(Split.TRAIN).setSampleId("x").build();
        in.pipeInput("s", samples.serialize(s));
        Sample out = samples.deserialize(train.readValue());
        assertThat(out.getSampleId()).isEqualTo("x");
        assertThat(SampleJson.write(out)).isNotEmpty();
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void longTextIsCutIntoBoundedPiecesOnTheSideItsDocumentWasSplitTo() {
        start(RoutingConfig.defaults().withEvalPerMille(0).withTextChunkBytes(16));
        String doc = "Größe und Länge\nline two is longer than sixteen bytes\nend";
        in.pipeInput("lm", json("{\"stream\":\"lm\",\"task\":\"de\",\"text\":\"" + doc.replace("\n", "\\n") + "\"}"));
        in.pipeInput("lm", json("{\"stream\":\"lm\",\"task\":\"de\",\"split\":\"eval\",\"text\":\"" + "ä".repeat(20) + "\"}"));
        in.pipeInput("lm", json("{\"stream\":\"lm\",\"task\":\"de\",\"text\":\"short\"}"));

        List<Sample> trained = train.readValuesToList().stream().map(samples::deserialize).toList();
        assertThat(trained).allSatisfy(s -> {
            assertThat(s.getText().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(16);
            assertThat(s.getTask()).isEqualTo("de");
        });
        assertThat(trained.subList(0, trained.size() - 1).stream().map(Sample::getText).reduce("", String::concat)).isEqualTo(doc);
        assertThat(trained.get(0).getText()).isEqualTo("Größe und Län"); // 16 bytes, no line break in its second half
        assertThat(trained.get(1).getText()).isEqualTo("ge\nline two is l"); // its line break is in the first half: no cut there
        assertThat(new TextChunker(16).chunks(Sample.newBuilder().setStream("lm").setText("abcdefghijkl\nmnopqrstuvwxyz").build()))
                .extracting(Sample::getText).containsExactly("abcdefghijkl\n", "mnopqrstuvwxyz"); // cut after a late line break
        assertThat(trained.get(0).getSampleId()).endsWith("#0");
        assertThat(trained.get(1).getSampleId()).endsWith("#1");
        assertThat(trained.get(trained.size() - 1).getText()).isEqualTo("short");
        List<Sample> evals = eval.readValuesToList().stream().map(samples::deserialize).toList();
        // 20 two-byte characters: 8 + 8 + 4, never half a character
        assertThat(evals).extracting(Sample::getText).containsExactly("ä".repeat(8), "ä".repeat(8), "ä".repeat(4));
        assertThat(control.readValuesToList()).hasSize(1);
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void withoutChunkingTextPassesWhole() {
        start(RoutingConfig.defaults().withEvalPerMille(0));
        in.pipeInput("lm", json("{\"stream\":\"lm\",\"text\":\"" + "x".repeat(5000) + "\"}"));
        assertThat(samples.deserialize(train.readValue()).getText()).hasSize(5000);
        assertThat(train.isEmpty()).isTrue();
    }
}
