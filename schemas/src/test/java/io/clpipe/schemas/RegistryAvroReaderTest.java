package io.clpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.clpipe.schemas.avro.Sample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The schema registry wire format: a record written by a producer with its own (evolved) writer
 * schema, framed as byte 0 + schema id, read into clpipe's Sample with the writer schema fetched by
 * id. The registry here is an HTTP server in the test answering the one call the client makes
 * ({@code GET /schemas/ids/<id>}, Confluent's REST API); SchemaRegistryApicurioIT (ingest) runs
 * against a real Apicurio Registry where Docker answers.
 */
class RegistryAvroReaderTest {

    private HttpServer server;
    private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile int failWith;

    @BeforeEach
    void startRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/schemas/ids/", exchange -> {
            requests.incrementAndGet();
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            int id = Integer.parseInt(exchange.getRequestURI().getPath().substring("/schemas/ids/".length()));
            String schema = schemas.get(id);
            int status = failWith != 0 ? failWith : schema == null ? 404 : 200;
            ObjectNode body = new ObjectMapper().createObjectNode();
            if (status == 200) {
                body.put("schema", schema);
            } else {
                body.put("error_code", status * 100 + 3).put("message", "Schema " + id + " not found");
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** clpipe's Sample schema as a producer might have evolved it: fields reordered, one added with a default. */
    static Schema evolvedWriterSchema() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode schema = (ObjectNode) json.readTree(Sample.getClassSchema().toString());
        ArrayNode fields = (ArrayNode) schema.get("fields");
        ArrayNode reordered = json.createArrayNode();
        for (int i = fields.size() - 1; i >= 0; i--) {
            reordered.add(fields.get(i));
        }
        reordered.addObject().put("name", "producer_host").put("type", "string").put("default", "");
        schema.set("fields", reordered);
        return new Schema.Parser().parse(schema.toString());
    }

    static byte[] wireFormat(int id, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    static GenericRecord sample(Schema writer) {
        GenericRecord r = new GenericData.Record(writer);
        for (Schema.Field f : writer.getFields()) {
            if (f.hasDefaultValue()) {
                r.put(f.name(), GenericData.get().getDefaultValue(f));
            }
        }
        r.put("stream", "digits");
        r.put("task", "0-1");
        r.put("features", List.of(0f, 0.5f, 1f));
        r.put("label", 1);
        r.put("sampleId", "s-1");
        r.put("producer_host", "edge-7");
        return r;
    }

    @Test
    void aRecordWrittenWithAnEvolvedSchemaIsReadWithTheWriterSchemaFromTheRegistryFetchedOnce() throws IOException {
        Schema writer = evolvedWriterSchema();
        schemas.put(42, writer.toString());
        Properties props = new Properties();
        props.setProperty(SchemaRegistryClient.URL, url());
        props.setProperty(SchemaRegistryClient.USER_INFO, "clpipe:s3cret");
        SchemaRegistryClient client = SchemaRegistryClient.from(props).orElseThrow();
        SampleDecoder decoder = new SampleDecoder(client);

        byte[] value = wireFormat(42, sample(writer));
        for (int i = 0; i < 3; i++) {
            Sample s = decoder.decode(value);
            assertThat(s.getStream()).isEqualTo("digits");
            assertThat(s.getTask()).isEqualTo("0-1");
            assertThat(s.getFeatures()).containsExactly(0f, 0.5f, 1f);
            assertThat(s.getLabel()).isEqualTo(1);
            assertThat(s.getSampleId()).isEqualTo("s-1");
        }
        assertThat(requests).as("the writer schema is fetched once, then cached").hasValue(1);
        assertThat(client.cachedSchemas()).isEqualTo(1);
        assertThat(authorizations).containsExactly("Basic Y2xwaXBlOnMzY3JldA=="); // base64("clpipe:s3cret")

        // JSON and clpipe's own Avro framing still work next to it
        assertThat(decoder.decode(SampleJson.write(decoder.decode(value))).getStream()).isEqualTo("digits");
        assertThat(decoder.decode(AvroSerde.sample().serialize(decoder.decode(value))).getLabel()).isEqualTo(1);
        assertThat(SchemaRegistryClient.withoutRegistrySettings(props)).isEmpty();
    }

    @Test
    void anUnknownIdRejectsTheRecordAnUnreachableRegistryDoesNot() throws IOException {
        Schema writer = evolvedWriterSchema();
        SampleDecoder decoder = new SampleDecoder(new SchemaRegistryClient(url(), null));
        byte[] unknown = wireFormat(7, sample(writer));
        assertThatThrownBy(() -> decoder.decode(unknown)).isInstanceOf(InvalidSampleException.class)
                .satisfies(e -> assertThat(((InvalidSampleException) e).rejection().reason()).isEqualTo(RejectReason.UNPARSABLE))
                .hasMessageContaining("has no schema id 7 (HTTP 404)");
        assertThat(authorizations).containsExactly("null");

        failWith = 503;
        assertThatThrownBy(() -> decoder.decode(wireFormat(8, sample(writer)))).as("the registry's fault: not dead-lettered")
                .isInstanceOf(SchemaRegistryClient.Unavailable.class).hasMessageContaining("HTTP 503");
        failWith = 401;
        assertThatThrownBy(() -> decoder.decode(wireFormat(9, sample(writer))))
                .isInstanceOf(SchemaRegistryClient.Unavailable.class).hasMessageContaining("basic.auth.user.info");
    }

    @Test
    void withoutARegistryTheWireFormatIsStillExplainedAndRefused() throws IOException {
        byte[] value = wireFormat(42, sample(evolvedWriterSchema()));
        assertThatThrownBy(() -> new SampleDecoder().decode(value)).isInstanceOf(InvalidSampleException.class)
                .hasMessageContaining("Confluent Schema Registry magic byte");
        assertThat(SchemaRegistryClient.from(new Properties())).isEmpty();
    }
}
