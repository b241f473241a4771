package io.clpipe.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.Sample;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's user of {@code clpipe serve}: keeps the held-out samples ingest has written to the eval
 * topic so far and sends {@code perSecond} scoring requests drawn uniformly from them (seeded; the label
 * kept in the request id), then reads the predictions back (read_committed), counting hits per model
 * version that answered. The served accuracy is thus on every task seen so far, like ACC.
 */
final class DemoClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Requests answered by one model version and how many were right. */
    record VersionScore(long version, long requests, long hits) {
    }

    private final Topics topics;
    private final String stream;
    private final int perSecond;
    private final KafkaConsumer<String, byte[]> eval;
    private final KafkaConsumer<String, byte[]> predictions;
    private final KafkaProducer<String, byte[]> producer;
    private final Thread thread;
    private final Map<Long, long[]> byVersion = new TreeMap<>();
    private final AvroSerde<Sample> samples = AvroSerde.sample();
    private volatile boolean running = true;
    private volatile long sent;
    private volatile long answered;
    private volatile long lastVersion = -1;
    private volatile double lastAccuracy = Double.NaN;

    DemoClient(String bootstrap, Topics topics, String stream, int perSecond) {
        this.topics = topics;
        this.stream = stream;
        this.perSecond = perSecond;
        this.eval = consumer(bootstrap, topics.eval());
        this.predictions = consumer(bootstrap, topics.predictions());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::run, "clpipe-demo-client");
        thread.setDaemon(true);
        thread.start();
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }

    private void run() {
        List<Sample> seen = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        long windowStart = System.nanoTime();
        long sentInWindow = 0;
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : eval.poll(Duration.ofMillis(20))) {
                    Sample s = samples.deserialize(r.value());
                    if (s.getFeatures() != null && s.getLabel() != null && stream.equals(s.getStream())) {
                        seen.add(s);
                    }
                }
                if (System.nanoTime() - windowStart > 1_000_000_000L) {
                    windowStart = System.nanoTime();
                    sentInWindow = 0;
                }
                long allowed = 1 + perSecond * (System.nanoTime() - windowStart) / 1_000_000_000L; // spread over the second
                while (!seen.isEmpty() && sentInWindow < Math.min(allowed, perSecond)) {
                    Sample s = seen.get(random.nextInt(seen.size()));
                    ObjectNode o = JSON.createObjectNode().put("stream", stream).put("id", "q" + sent + "-y" + s.getLabel()).put("top", 3);
                    s.getFeatures().forEach(o.putArray("features")::add);
                    producer.send(new ProducerRecord<>(topics.requests(), stream, JSON.writeValueAsBytes(o)));
                    sent++;
                    sentInWindow++;
                }
                for (ConsumerRecord<String, byte[]> r : predictions.poll(Duration.ofMillis(50))) {
                    tally(JSON.readTree(r.value()));
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.warn("Demo client stopped: {}", e.toString());
        }
    }

    private void tally(JsonNode p) {
        answered++;
        if (p.get("version") == null || p.get("version").isNull()) {
            return;
        }
        long version = p.get("version").asLong();
        String id = p.get("id").asText();
        int label = Integer.parseInt(id.substring(id.indexOf("-y") + 2));
        long[] c;
        synchronized (byVersion) {
            c = byVersion.computeIfAbsent(version, v -> new long[2]);
            c[0]++;
            c[1] += p.get("predicted").asInt() == label ? 1 : 0;
        }
        lastVersion = version;
        lastAccuracy = (double) c[1] / c[0];
    }

    /** For the status line, e.g. "served v120 acc 0.84 (412 answered)". */
    String status() {
        return lastVersion < 0 ? "served: waiting (" + sent + " requests sent)"
                : String.format(Locale.ROOT, "served v%d acc %.2f (%d answered)", lastVersion, lastAccuracy, answered);
    }

    List<VersionScore> scores() {
        synchronized (byVersion) {
            return byVersion.entrySet().stream().map(e -> new VersionScore(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();
        }
    }

    long sent() {
        return sent;
    }

    long answered() {
        return answered;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
        eval.close();
        predictions.close();
        producer.close(Duration.ofSeconds(5));
    }
}
