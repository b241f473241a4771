package io.clpipe.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.broker.TopicCreation;
import io.clpipe.datasets.Mnist;
import io.clpipe.ingest.produce.ProduceProgress;
import io.clpipe.ingest.produce.ProduceResult;
import io.clpipe.ingest.produce.SampleProducer;
import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.ingest.source.MnistSource;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.DlqHeaders;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.SampleJson;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.ValidationConfig;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real broker: JSON samples produced with clpipe produce's code path come out of ingest as Avro, field for field. */
class IngestServiceIT {

    private static TestKafkaCluster kafka;
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path stateDir;
    private static final Topics TOPICS = Topics.defaults();

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaClusters.start();
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicCreation.create(admin, TOPICS.specs().stream().map(TopicSpec::newTopic).toList());
        }
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void mnistJsonSamplesArriveOnTrainAndEvalAsAvroWithEveryFieldAndBadOnesInTheDlq() throws Exception {
        Mnist mnist = Mnist.load();
        int n = 300;
        Properties clientProps = new Properties();
        clientProps.put("bootstrap.servers", kafka.bootstrapServers());
        RoutingConfig config = RoutingConfig.defaults()
                .withValidation(ValidationConfig.defaults().withFeatureDim("digits", 784).withNumClasses(10))
                .withEvalPerMille(200);
        // its own state dir: the default one under java.io.tmpdir is shared by every ingest on the machine
        IngestServiceConfig serviceConfig = new IngestServiceConfig(TOPICS, IngestService.APPLICATION_ID, stateDir, config);
        try (IngestService ingest = new IngestService(serviceConfig, clientProps, new SimpleMeterRegistry())) {
            ingest.start();
            assertThat(ingest.awaitReady(Duration.ofSeconds(60))).isTrue();

            ProduceResult result;
            try (KafkaProducer<String, byte[]> producer = producer()) {
                MnistSource source = new MnistSource(mnist.train(), "mnist-train", "digits", label -> "t" + label / 2, null, n);
                result = new SampleProducer(producer, TOPICS.samples(), SampleJson::write).produce(source, ProduceProgress.NONE);
                producer.send(new ProducerRecord<>(TOPICS.samples(), "digits",
                        "{\"features\":[1,2,3],\"label\":1}".getBytes(StandardCharsets.UTF_8))).get();
                producer.send(new ProducerRecord<>(TOPICS.samples(), "digits", "not json".getBytes(StandardCharsets.UTF_8))).get();
            }
            assertThat(result.records()).isEqualTo(n);

            List<ConsumerRecord<String, byte[]>> train = new ArrayList<>();
            List<ConsumerRecord<String, byte[]>> eval = new ArrayList<>();
            List<ConsumerRecord<String, byte[]>> dlq = new ArrayList<>();
            List<ConsumerRecord<String, byte[]>> control = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> consumer = consumer()) {
                consumer.subscribe(List.of(TOPICS.train(), TOPICS.eval(), TOPICS.dlq(), TOPICS.control()));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (train.size() + eval.size() < n || dlq.size() < 2) {
                    assertThat(System.nanoTime()).as("records arrived in time").isLessThan(deadline);
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        Map<String, List<ConsumerRecord<String, byte[]>>> byTopic = Map.of(
                                TOPICS.train(), train, TOPICS.eval(), eval, TOPICS.dlq(), dlq, TOPICS.control(), control);
                        byTopic.get(r.topic()).add(r);
                    }
                }
            }
            assertThat(train.size() + eval.size()).isEqualTo(n);
            assertThat(eval.size()).isBetween(30, 100); // 20% by hash of the sample id
            AvroSerde<Sample> serde = AvroSerde.sample();
            Map<String, Sample> byId = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : train) {
                Sample s = serde.deserialize(r.value());
                assertThat(r.key()).isEqualTo("digits");
                byId.put(s.getSampleId(), s);
            }
            for (ConsumerRecord<String, byte[]> r : eval) {
                Sample s = serde.deserialize(r.value());
                byId.put(s.getSampleId(), s);
            }
            assertThat(byId).hasSize(n);
            for (int i = 0; i < n; i++) {
                Sample s = byId.get("mnist-train:" + i);
                assertThat(s).as("sample %d", i).isNotNull();
                assertThat(s.getStream()).isEqualTo("digits");
                assertThat(s.getLabel()).isEqualTo(mnist.train().labels()[i]);
                assertThat(s.getTask()).isEqualTo("t" + mnist.train().labels()[i] / 2);
                assertThat(Features.toArray(s.getFeatures())).containsExactly(mnist.train().image(i));
                assertThat(s.getText()).isNull();
                assertThat(s.getIngestTime()).isPositive();
            }
            assertThat(dlq).extracting(r -> new String(r.headers().lastHeader(DlqHeaders.REASON_CODE).value(), StandardCharsets.UTF_8))
                    .containsExactly("WRONG_DIMENSION", "UNPARSABLE");
            assertThat(new String(dlq.get(1).value(), StandardCharsets.UTF_8)).isEqualTo("not json");
            AvroSerde<ControlEvent> events = AvroSerde.controlEvent();
            assertThat(control).isNotEmpty();
            assertThat(events.deserialize(control.get(0).value()).getStream()).isEqualTo("digits");
        }
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(props);
    }
}
