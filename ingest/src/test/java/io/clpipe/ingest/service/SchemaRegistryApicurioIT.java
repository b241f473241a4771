package io.clpipe.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.broker.TopicCreation;
import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.SchemaRegistryClient;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
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
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * Ingest against a real schema registry: Apicurio Registry (its Confluent-compatible API,
 * {@code /apis/ccompat/v7}) in a container. A producer registers its own, evolved Sample schema
 * under {@code clpipe.samples-value}, writes a sample in the registry wire format (byte 0 + schema
 * id + Avro), and ingest, configured with {@code schema.registry.url}, routes it to the train topic
 * as clpipe's Avro. Needs a Docker engine; skipped where none answers (no registry can be started
 * in-process from Maven Central: docs/records.md#schema-registry).
 */
class SchemaRegistryApicurioIT {

    static final String IMAGE = "apicurio/apicurio-registry:3.0.9";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSampleWrittenInTheRegistryWireFormatIsRoutedToTrain() throws Exception {
        assumeTrue(dockerAnswers(), "no Docker engine answers: Apicurio Registry cannot be started; skipped");
        try (GenericContainer<?> registry = new GenericContainer<>(IMAGE).withExposedPorts(8080)
                .waitingFor(Wait.forHttp("/apis/ccompat/v7/subjects").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(3)));
             TestKafkaCluster kafka = KafkaClusters.start()) {
            registry.start();
            String url = "http://" + registry.getHost() + ":" + registry.getMappedPort(8080) + "/apis/ccompat/v7";
            Topics topics = Topics.defaults();
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
                TopicCreation.create(admin, topics.specs().stream().map(TopicSpec::newTopic).toList());
            }
            Schema writer = evolvedWriterSchema();
            int id = register(url, topics.samples() + "-value", writer);

            Properties client = new Properties();
            client.put("bootstrap.servers", kafka.bootstrapServers());
            client.put(SchemaRegistryClient.URL, url);
            try (IngestService ingest = new IngestService(topics, RoutingConfig.defaults(), client, new SimpleMeterRegistry())) {
                ingest.start();
                assertThat(ingest.awaitReady(Duration.ofSeconds(60))).isTrue();
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(), ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
                    producer.send(new ProducerRecord<>(topics.samples(), "digits", wireFormat(id, sample(writer)))).get();
                }
                List<Sample> train = new ArrayList<>();
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "registry-it", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
                    consumer.subscribe(List.of(topics.train()));
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (train.isEmpty() && System.nanoTime() < deadline) {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                            train.add(AvroSerde.sample().deserialize(r.value()));
                        }
                    }
                }
                assertThat(train).hasSize(1);
                assertThat(train.get(0).getStream()).isEqualTo("digits");
                assertThat(train.get(0).getFeatures()).containsExactly(0f, 0.5f, 1f);
                assertThat(train.get(0).getLabel()).isEqualTo(1);
            }
        }
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int register(String url, String subject, Schema schema) throws Exception {
        String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("register %s: %s", subject, r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("id").asInt();
    }

    /** Sample's schema as a producer evolved it: fields reversed, one added with a default. */
    private static Schema evolvedWriterSchema() throws Exception {
        ObjectNode schema = (ObjectNode) JSON.readTree(Sample.getClassSchema().toString());
        ArrayNode fields = (ArrayNode) schema.get("fields");
        ArrayNode reordered = JSON.createArrayNode();
        for (int i = fields.size() - 1; i >= 0; i--) {
            reordered.add(fields.get(i));
        }
        reordered.addObject().put("name", "producer_host").put("type", "string").put("default", "");
        schema.set("fields", reordered);
        return new Schema.Parser().parse(schema.toString());
    }

    private static GenericRecord sample(Schema writer) {
        GenericRecord r = new GenericData.Record(writer);
        writer.getFields().stream().filter(Schema.Field::hasDefaultValue).forEach(f -> r.put(f.name(), GenericData.get().getDefaultValue(f)));
        r.put("stream", "digits");
        r.put("task", "0-1");
        r.put("features", List.of(0f, 0.5f, 1f));
        r.put("label", 1);
        r.put("producer_host", "edge-7");
        return r;
    }

    private static byte[] wireFormat(int id, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
