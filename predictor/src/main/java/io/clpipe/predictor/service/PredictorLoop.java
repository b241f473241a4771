package io.clpipe.predictor.service;

import io.clpipe.models.ModelSpec;
import io.clpipe.predictor.engine.ModelTable;
import io.clpipe.predictor.engine.Scored;
import io.clpipe.predictor.engine.Scorer;
import io.clpipe.predictor.engine.ServedModel;
import io.clpipe.schemas.DlqHeaders;
import io.clpipe.schemas.InvalidSampleException;
import io.clpipe.schemas.RawRecord;
import io.clpipe.schemas.RejectReason;
import io.clpipe.schemas.Rejection;
import io.clpipe.schemas.Topics;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll of requests → one Kafka transaction: first the models topic is read to its current end (so a
 * snapshot acknowledged before these requests were read answers them), then each stream's requests are
 * scored in one forward pass, and the predictions, the dead letters and the requests' next offsets
 * (with the group's metadata, so a member the group has moved on from cannot commit) are committed
 * together. An aborted transaction rewinds to the batch's first offsets and answers it again; a fenced
 * producer stops the service.
 */
final class PredictorLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PredictorLoop.class);

    private final PredictorServiceConfig config;
    private final Topics topics;
    private final KafkaConsumer<String, byte[]> requests;
    private final KafkaProducer<String, byte[]> producer;
    private final ModelFeed feed;
    private final ModelTable table = new ModelTable();
    private final Scorer scorer = new Scorer();
    private final RequestDecoder decoder;
    private final PredictorMeters meters;
    private final Clock clock;
    private final BooleanSupplier running;
    private long answered;
    private long rejected;
    private long noModel;

    PredictorLoop(PredictorServiceConfig config, PredictorClients clients, PredictorMeters meters, Clock clock,
                  BooleanSupplier running) {
        this.config = config;
        this.topics = config.topics();
        this.decoder = new RequestDecoder(config);
        this.meters = meters;
        this.clock = clock;
        this.running = running;
        this.requests = clients.requestsConsumer();
        this.producer = clients.producer();
        this.feed = new ModelFeed(clients.modelsReader(), topics.models(), table, (stream, version, task) -> {
            meters.swapped(stream, version);
            log.info("Stream {}: serving model version {} (task {})", stream, version, task);
        });
    }

    /** Reads every stream's newest snapshot and joins the requests group; false if stopped meanwhile. */
    boolean start() {
        producer.initTransactions();
        if (!feed.catchUp(Duration.ofDays(365), running)) {
            return false;
        }
        requests.subscribe(List.of(topics.requests()));
        log.info("Predictor ready: group {} on {}, predictions to {} (transactional id {}); serving {}", config.groupId(),
                topics.requests(), topics.predictions(), config.transactionalId(), table.versions());
        return true;
    }

    void runOnce() {
        ConsumerRecords<String, byte[]> batch;
        try {
            batch = requests.poll(config.pollTimeout());
        } catch (WakeupException e) {
            return;
        }
        if (!feed.catchUp(config.catchUpTimeout(), running)) {
            log.warn("Models topic {} not read to its end within {}: this batch is answered by the versions read so far",
                    topics.models(), config.catchUpTimeout());
        }
        if (batch.isEmpty()) {
            return;
        }
        Timer.Sample timer = meters.startBatch();
        List<ProducerRecord<String, byte[]>> out = answer(batch);
        meters.batchDone(timer);
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition tp : batch.partitions()) {
            List<ConsumerRecord<String, byte[]>> part = batch.records(tp);
            next.put(tp, new OffsetAndMetadata(part.get(part.size() - 1).offset() + 1));
        }
        try {
            producer.beginTransaction();
            out.forEach(producer::send);
            producer.sendOffsetsToTransaction(next, requests.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | InvalidPidMappingException | UnsupportedVersionException
                 | AuthorizationException | AuthenticationException e) {
            throw e; // fatal: another instance owns this transactional id, or no right to write
        } catch (KafkaException e) {
            log.warn("Prediction transaction aborted ({}); its {} requests are read and answered again", e.toString(),
                    batch.count());
            meters.aborted();
            producer.abortTransaction();
            for (TopicPartition tp : batch.partitions()) {
                requests.seek(tp, batch.records(tp).get(0).offset());
            }
        }
    }

    /** Predictions and dead letters for one poll, in the requests' order within each stream. */
    private List<ProducerRecord<String, byte[]>> answer(ConsumerRecords<String, byte[]> batch) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        Map<String, List<Decoded>> byStream = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            try {
                Request request = decoder.decode(r.key(), r.value());
                byStream.computeIfAbsent(request.stream(), s -> new ArrayList<>()).add(new Decoded(request, r));
            } catch (InvalidSampleException e) {
                out.add(deadLetter(r, e.rejection()));
            }
        }
        byStream.forEach((stream, decoded) -> answerStream(stream, decoded, out));
        return out;
    }

    private record Decoded(Request request, ConsumerRecord<String, byte[]> record) {
        PredictionJson.Source source() {
            return new PredictionJson.Source(record.topic(), record.partition(), record.offset(), record.timestamp());
        }
    }

    private void answerStream(String stream, List<Decoded> decoded, List<ProducerRecord<String, byte[]>> out) {
        Optional<ServedModel> served = table.get(stream);
        long now = clock.millis();
        if (served.isEmpty()) {
            for (Decoded d : decoded) {
                out.add(prediction(stream, PredictionJson.error(d.request(), "no model for stream '" + stream
                        + "' yet: no snapshot on " + topics.models(), d.source(), now)));
            }
            noModel += decoded.size();
            meters.unanswerable(stream, decoded.size());
            return;
        }
        ServedModel model = served.get();
        List<Decoded> fit = new ArrayList<>(decoded.size());
        for (Decoded d : decoded) {
            String misfit = Scorer.misfit(model.spec(), d.request().query());
            if (misfit == null) {
                fit.add(d);
            } else {
                RejectReason reason = d.request().query() instanceof io.clpipe.predictor.engine.Query.Features f
                        && model.spec() instanceof ModelSpec.Mlp ? RejectReason.WRONG_DIMENSION : RejectReason.WRONG_TYPE;
                out.add(deadLetter(d.record(), new Rejection(reason, null, "stream " + stream + " version " + model.version()
                        + ": " + misfit)));
            }
        }
        if (fit.isEmpty()) {
            return;
        }
        List<Scored> scored = scorer.score(model, fit.stream().map(d -> d.request().query()).toList());
        now = clock.millis();
        long[] latencies = new long[fit.size()];
        boolean lm = model.spec().readsBytes();
        for (int i = 0; i < fit.size(); i++) {
            Decoded d = fit.get(i);
            latencies[i] = Math.max(0, now - d.record().timestamp());
            out.add(prediction(stream, PredictionJson.answer(d.request(), model.version(), model.task(), scored.get(i), lm,
                    d.source(), now)));
        }
        answered += fit.size();
        meters.answered(stream, fit.size(), latencies);
    }

    private ProducerRecord<String, byte[]> prediction(String stream, byte[] value) {
        return new ProducerRecord<>(topics.predictions(), stream, value);
    }

    private ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> r, Rejection rejection) {
        rejected++;
        meters.rejected(rejection.reason().name());
        log.debug("Request {}-{}@{} rejected: {}", r.topic(), r.partition(), r.offset(), rejection.message());
        RawRecord raw = new RawRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value());
        return new ProducerRecord<>(topics.dlq(), null, r.key(), r.value(), DlqHeaders.of(rejection, raw));
    }

    void wakeup() {
        requests.wakeup();
    }

    String summary() {
        return answered + " requests answered, " + noModel + " answered with no model yet, " + rejected
                + " to the dead-letter topic, " + feed.skipped() + " snapshots skipped; serving " + table.versions();
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {requests, producer, feed, table}) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("Closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
